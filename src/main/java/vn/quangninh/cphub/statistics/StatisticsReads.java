package vn.quangninh.cphub.statistics;

import java.sql.Timestamp;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Records every read of a statistics report: who (a partner or a console user), when, and which report. */
@Component
public class StatisticsReads {

    private static final Logger LOG = LoggerFactory.getLogger(StatisticsReads.class);

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public StatisticsReads(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * @param readerKind {@code partner} or {@code console}
     * @param report     what was read, e.g. {@code programme H1 2026 groupBy=district csv}
     */
    public void record(String reader, String readerKind, String report) {
        jdbc.update("insert into statistics_read (reader, reader_kind, report, read_at) values (?, ?, ?, ?)",
                reader, readerKind, report, Timestamp.from(clock.instant()));
        LOG.info("Statistics report '{}' read by {} {}", report, readerKind, reader);
    }
}

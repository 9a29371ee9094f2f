package vn.quangninh.cphub.hotline;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A caller's number is kept in {@code call_record} for {@code cphub.content.retention} after the call (as long as
 * delivered content), then forgotten; the call itself stays, counted in the statistics. Logs counts only.
 */
@Component
public class CallerNumberRetention {

    private static final Logger LOG = LoggerFactory.getLogger(CallerNumberRetention.class);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration retention;

    public CallerNumberRetention(JdbcTemplate jdbc, Clock clock, @Value("${cphub.content.retention}") Duration retention) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.retention = retention;
    }

    @Scheduled(fixedDelayString = "${cphub.content.sweep-interval}")
    public int forgetOldNumbers() {
        int forgotten = jdbc.update("update call_record set caller_number = null"
                + " where caller_number is not null and updated_at < ?", Timestamp.from(clock.instant().minus(retention)));
        if (forgotten > 0) {
            LOG.info("Caller numbers past retention forgotten: {} call(s)", forgotten);
        }
        return forgotten;
    }
}

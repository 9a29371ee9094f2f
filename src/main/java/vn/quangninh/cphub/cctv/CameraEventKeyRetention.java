package vn.quangninh.cphub.cctv;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The keys of camera events already in an episode (camel_messageprocessed, processor {@code camera-events}) are
 * forgotten after {@code cphub.cctv.event-key-retention}: a device's retry, an MQTT redelivery or the same event
 * from a second hub comes within minutes, and a camera storm writes thousands of keys that would otherwise stay
 * forever. The keys of triaged source events (processor {@code triage}) are kept: a partner may re-post a report
 * long after, and it must not become a second incident. Camel's repository stamps each key with the system clock,
 * so the age is measured on it too. Logs counts only.
 */
@Component
public class CameraEventKeyRetention {

    private static final Logger LOG = LoggerFactory.getLogger(CameraEventKeyRetention.class);
    static final String PROCESSOR = "camera-events";

    private final JdbcTemplate jdbc;
    private final Duration retention;

    public CameraEventKeyRetention(JdbcTemplate jdbc, @Value("${cphub.cctv.event-key-retention}") Duration retention) {
        this.jdbc = jdbc;
        this.retention = retention;
    }

    @Scheduled(fixedDelayString = "${cphub.content.sweep-interval}")
    public int forgetOldKeys() {
        int forgotten = jdbc.update("delete from camel_messageprocessed where processorname = ? and createdat < ?", PROCESSOR,
                Timestamp.from(Instant.now().minus(retention)));
        if (forgotten > 0) {
            LOG.info("Camera event keys past retention forgotten: {}", forgotten);
        }
        return forgotten;
    }
}

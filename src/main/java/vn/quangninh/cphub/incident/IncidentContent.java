package vn.quangninh.cphub.incident;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.store.SealedBox;

/**
 * The canonical incident as triage took it, kept so that an operator can have it triaged again after a routing
 * change ({@code ops.IncidentRetriage}): written by triage in its store transaction, sealed with AES-256-GCM
 * ({@code cphub.content.key}, the incident id as associated data), deleted {@code cphub.content.retention} after
 * receipt once none of its referrals is open. The sweep logs counts only.
 */
@Component("incidentContent")
public class IncidentContent {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentContent.class);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final SealedBox box;
    private final Duration retention;

    public IncidentContent(JdbcTemplate jdbc, Clock clock, @Value("${cphub.content.key}") String key,
                           @Value("${cphub.content.retention}") Duration retention) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.box = new SealedBox(key, "cphub.content.key (CPHUB_CONTENT_KEY)");
        this.retention = retention;
    }

    /** Keeps the incident triage is taking; a redelivery or a re-triage keeps the first copy. */
    public void keep(@Header(HubHeaders.INCIDENT_ID) String incidentId, @ExchangeProperty("cphubIncident") String incident) {
        if (incidentId == null || incident == null) {
            return;
        }
        String sealed = Base64.getEncoder().encodeToString(box.seal(incident.getBytes(StandardCharsets.UTF_8), incidentId));
        jdbc.update("insert into incident_content (incident_id, sealed, stored_at) select ?, ?, ?"
                        + " where not exists (select 1 from incident_content where incident_id = ?)",
                incidentId, sealed, Timestamp.from(clock.instant()), incidentId);
    }

    /** The incident as triage took it, or empty (never triaged here, or past its retention). */
    public Optional<String> find(String incidentId) {
        return jdbc.queryForList("select sealed from incident_content where incident_id = ?", String.class, incidentId)
                .stream().findFirst()
                .map(sealed -> new String(box.open(Base64.getDecoder().decode(sealed), incidentId), StandardCharsets.UTF_8));
    }

    /** Deletes the incidents received longer ago than the retention that have no open referral. */
    @Scheduled(fixedDelayString = "${cphub.content.sweep-interval}")
    public int deleteExpired() {
        int deleted = jdbc.update("delete from incident_content where stored_at < ? and not exists"
                        + " (select 1 from referral r where r.incident_id = incident_content.incident_id"
                        + " and r.status not in ('CLOSED', 'DECLINED'))",
                Timestamp.from(clock.instant().minus(retention)));
        if (deleted > 0) {
            LOG.info("Incident content past retention deleted: {} incident(s)", deleted);
        }
        return deleted;
    }
}

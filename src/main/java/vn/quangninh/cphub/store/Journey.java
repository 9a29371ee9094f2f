package vn.quangninh.cphub.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The journey of every message through the hub, one row per step: received, duplicate, routed,
 * unrouted, each delivery attempt with its outcome, delivered, dead-lettered. Append-only; it holds ids,
 * partner ids, statuses and reasons of the hub's own making — never message content.
 */
@Component("journey")
public class Journey {

    public enum Step { RECEIVED, DUPLICATE, ROUTED, UNROUTED, ATTEMPT, DELIVERED, DEAD_LETTERED, STATUS_REPORTED, ESCALATED,
        /** an operator put it back from its dead-letter queue, or discarded it (detail: who; why: table operator_action) */
        RETRIED, DISCARDED,
        /** an operator sent a delivered referral to its partner again (detail: who; why: table operator_action) */
        REPLAYED,
        /** an operator had the incident triaged again, after a routing change (detail: who; why: operator_action) */
        RETRIAGED }

    public record Entry(String incidentId, String referralId, String partnerId, Step step, Integer attempt,
                        String outcome, String detail, Instant recordedAt) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public Journey(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void record(String incidentId, String referralId, String partnerId, Step step, Integer attempt,
                       String outcome, String detail) {
        recordAt(clock.instant(), incidentId, referralId, partnerId, step, attempt, outcome, detail);
    }

    /** A step that happened at {@code at} (the hub's receipt of an incident, recorded when triage takes it). */
    public void recordAt(Instant at, String incidentId, String referralId, String partnerId, Step step, Integer attempt,
                         String outcome, String detail) {
        jdbc.update("insert into journey (incident_id, referral_id, partner_id, step, attempt, outcome, detail, recorded_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?)",
                incidentId, referralId, partnerId, step.name(), attempt, outcome,
                detail == null || detail.length() <= 500 ? detail : detail.substring(0, 500),
                Timestamp.from(at));
    }

    public List<Entry> ofIncident(String incidentId) {
        return query("incident_id", incidentId);
    }

    public List<Entry> ofReferral(String referralId) {
        return query("referral_id", referralId);
    }

    private List<Entry> query(String column, String id) {
        return jdbc.query("select * from journey where " + column + " = ? order by id", (rs, i) -> new Entry(
                rs.getString("incident_id"), rs.getString("referral_id"), rs.getString("partner_id"),
                Step.valueOf(rs.getString("step")), (Integer) rs.getObject("attempt"), rs.getString("outcome"),
                rs.getString("detail"), rs.getTimestamp("recorded_at").toInstant()), id);
    }
}

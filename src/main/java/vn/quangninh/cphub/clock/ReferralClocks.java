package vn.quangninh.cphub.clock;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.referral.ReferralStatus;
import vn.quangninh.cphub.routing.Referral;

/**
 * The Decree 56 clocks of each referral, in the store ({@code referral_clock}): started when triage makes
 * the referral, stopped by the status that ends them, warned and breached by their timers.
 */
@Component
public class ReferralClocks {

    /** One clock as operators see it. */
    public record ClockState(String referralId, String incidentId, String partner, String clock, Instant startedAt,
                             Instant warnAt, Instant deadline, Instant stoppedAt, String stoppedBy, Instant warnedAt,
                             Instant breachedAt) {
    }

    private final JdbcTemplate jdbc;
    private final ClockPolicy policy;
    private final ClockTimers.Scheduling timers;
    private final Clock clock;

    public ReferralClocks(JdbcTemplate jdbc, ClockPolicy policy, ClockTimers.Scheduling timers, Clock clock) {
        this.jdbc = jdbc;
        this.policy = policy;
        this.timers = timers;
        this.clock = clock;
    }

    /** Starts the referral's clocks from the moment the hub received the incident; repeating it changes nothing. */
    public void start(Referral referral) {
        for (String name : referral.clocks()) {
            Instant start = referral.receivedAt();
            Instant deadline = policy.deadline(name, start);
            Instant warnAt = policy.warning(start, deadline);
            try {
                jdbc.update("insert into referral_clock (referral_id, clock, incident_id, partner_id, stops_on, started_at,"
                                + " warn_at, deadline) values (?, ?, ?, ?, ?, ?, ?, ?)",
                        referral.referralId().toString(), name, referral.incidentId().toString(), referral.partner(),
                        policy.kind(name).stopsOn().name(), ts(start), ts(warnAt), ts(deadline));
            } catch (DuplicateKeyException alreadyStarted) {
                // the broker redelivered the incident to triage: the clock runs from the first time
            }
            timers.schedule(new ClockTimers.Timer(referral.referralId(), name, ClockTimers.Stage.WARNING), warnAt);
            timers.schedule(new ClockTimers.Timer(referral.referralId(), name, ClockTimers.Stage.BREACH), deadline);
        }
    }

    /** Stops the referral's running clocks that {@code status} ends. @return the clocks stopped */
    public List<String> stop(UUID referralId, ReferralStatus status) {
        List<String> stopped = running(referralId).stream()
                .filter(c -> status.stops(ReferralStatus.valueOf(c.stopsOn())))
                .map(RunningClock::clock)
                .filter(name -> jdbc.update("update referral_clock set stopped_at = ?, stopped_by = ? where referral_id = ?"
                        + " and clock = ? and stopped_at is null", ts(clock.instant()), status.name(), referralId.toString(), name) == 1)
                .toList();
        return stopped;
    }

    private record RunningClock(String clock, String stopsOn) {
    }

    private List<RunningClock> running(UUID referralId) {
        return jdbc.query("select clock, stops_on from referral_clock where referral_id = ? and stopped_at is null",
                (rs, i) -> new RunningClock(rs.getString(1), rs.getString(2)), referralId.toString());
    }

    public ClockState find(UUID referralId, String name) {
        List<ClockState> found = jdbc.query("select * from referral_clock where referral_id = ? and clock = ?",
                (rs, i) -> state(rs), referralId.toString(), name);
        return found.isEmpty() ? null : found.get(0);
    }

    /** Marks a stage as escalated; false when it already was (another instance, or a retried timer). */
    boolean markEscalated(UUID referralId, String name, ClockTimers.Stage stage) {
        String column = stage == ClockTimers.Stage.WARNING ? "warned_at" : "breached_at";
        return jdbc.update("update referral_clock set " + column + " = ? where referral_id = ? and clock = ? and "
                + column + " is null", ts(clock.instant()), referralId.toString(), name) == 1;
    }

    /** Running clocks past their warning point (near breach) or past their deadline, soonest deadline first. */
    public List<ClockState> nearOrPastBreach() {
        return jdbc.query("select * from referral_clock where stopped_at is null and warn_at <= ? order by deadline",
                (rs, i) -> state(rs), ts(clock.instant()));
    }

    public List<ClockState> ofIncident(String incidentId) {
        return jdbc.query("select * from referral_clock where incident_id = ? order by deadline",
                (rs, i) -> state(rs), incidentId);
    }

    public long countRunning() {
        return count("select count(*) from referral_clock where stopped_at is null");
    }

    public long countNearBreach() {
        Timestamp now = ts(clock.instant());
        return count("select count(*) from referral_clock where stopped_at is null and warn_at <= ? and deadline > ?", now, now);
    }

    public long countBreached() {
        return count("select count(*) from referral_clock where stopped_at is null and deadline <= ?", ts(clock.instant()));
    }

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    private static ClockState state(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new ClockState(rs.getString("referral_id"), rs.getString("incident_id"), rs.getString("partner_id"),
                rs.getString("clock"), instant(rs, "started_at"), instant(rs, "warn_at"), instant(rs, "deadline"),
                instant(rs, "stopped_at"), rs.getString("stopped_by"), instant(rs, "warned_at"), instant(rs, "breached_at"));
    }

    private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }
}

package vn.quangninh.cphub.clock;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import vn.quangninh.cphub.model.ReferralStatus;
import vn.quangninh.cphub.model.Referral;

/**
 * The Decree 56 clocks of each referral, in the store ({@code referral_clock}): started when triage makes
 * the referral, stopped by the status that ends them, warned and breached by their timers.
 */
@Component
public class ReferralClocks {

    /** How long an instance's claim on a due stage holds: should it die while escalating, another takes over. */
    static final java.time.Duration CLAIM_LEASE = java.time.Duration.ofMinutes(1);

    /** How many clocks ran at {@code countedAt} (null: not counted yet), near their deadline, and past it. */
    public record Counts(Instant countedAt, long running, long nearBreach, long breached) {
    }

    /** One clock as operators see it. */
    public record ClockState(String referralId, String incidentId, String partner, String clock, Instant startedAt,
                             Instant warnAt, Instant deadline, Instant stoppedAt, String stoppedBy, Instant warnedAt,
                             Instant breachedAt) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate store;
    private final ClockPolicy policy;
    private final ClockAlarm alarm;
    private final Clock clock;

    public ReferralClocks(JdbcTemplate jdbc, PlatformTransactionManager storeTransactionManager, ClockPolicy policy,
                          ClockAlarm alarm, Clock clock) {
        this.jdbc = jdbc;
        this.store = new TransactionTemplate(storeTransactionManager);
        this.policy = policy;
        this.alarm = alarm;
        this.clock = clock;
    }

    /**
     * Starts the referral's clocks from the moment the hub received the incident; repeating it changes nothing
     * (the broker redelivered the incident to triage: the clock runs from the first time). {@link ClockScan}
     * finds them when they come due: each rings its {@link ClockAlarm} for its warning.
     */
    public void start(Referral referral) {
        for (String name : referral.clocks()) {
            Instant start = referral.receivedAt();
            Instant deadline = policy.deadline(name, start);
            Instant warnAt = policy.warning(start, deadline);
            alarm.ring(warnAt);
            jdbc.update("insert into referral_clock (referral_id, clock, incident_id, partner_id, stops_on, started_at,"
                            + " warn_at, deadline) select ?, ?, ?, ?, ?, ?, ?, ?"
                            + " where not exists (select 1 from referral_clock where referral_id = ? and clock = ?)",
                    referral.referralId().toString(), name, referral.incidentId().toString(), referral.partner(),
                    policy.kind(name).stopsOn().name(), ts(start), ts(warnAt), ts(deadline), referral.referralId().toString(), name);
        }
    }

    /**
     * Stages of running clocks that have come due by {@code at}, are not escalated, and no instance holds a live
     * claim on: the soonest {@code limit} of each stage.
     */
    List<ClockStage> due(int limit, Instant at) {
        Timestamp now = ts(at);
        Timestamp lapsed = ts(clock.instant().minus(CLAIM_LEASE));
        List<ClockStage> due = new java.util.ArrayList<>();
        for (ClockStage.Stage stage : ClockStage.Stage.values()) {
            jdbc.query("select referral_id, clock from referral_clock where stopped_at is null and " + done(stage) + " is null"
                            + " and " + dueAt(stage) + " <= ? and (" + claimed(stage) + " is null or " + claimed(stage) + " < ?)"
                            + " order by " + dueAt(stage) + " fetch first " + limit + " rows only",
                    rs -> {
                        due.add(new ClockStage(UUID.fromString(rs.getString(1)), rs.getString(2), stage));
                    }, now, lapsed);
        }
        return due;
    }

    /**
     * When the next stage of a running clock comes due after {@code after} and no later than {@code until}, that is
     * not escalated and that no instance holds a live claim on; empty when none is. (Those due by {@code after} are
     * what {@link #due} found.) Read within that window only: without a lower bound on the due time, H2 read every
     * running clock for it and sorted them (1.5 s at 430,000 while a backlog drained), where the window is a range
     * of the scan's index.
     */
    Optional<Instant> nextDue(Instant after, Instant until) {
        Timestamp lapsed = ts(clock.instant().minus(CLAIM_LEASE));
        Optional<Instant> next = Optional.empty();
        for (ClockStage.Stage stage : ClockStage.Stage.values()) {
            List<Timestamp> first = jdbc.query("select " + dueAt(stage) + " from referral_clock where stopped_at is null and "
                            + done(stage) + " is null and " + dueAt(stage) + " > ? and " + dueAt(stage) + " <= ? and ("
                            + claimed(stage) + " is null or " + claimed(stage) + " < ?)"
                            + " order by " + dueAt(stage) + " fetch first 1 rows only",
                    (rs, i) -> rs.getTimestamp(1), ts(after), ts(until), lapsed);
            if (!first.isEmpty() && (next.isEmpty() || first.get(0).toInstant().isBefore(next.get()))) {
                next = Optional.of(first.get(0).toInstant());
            }
        }
        return next;
    }

    /** A stage this instance has claimed: its clock, and its referral's status then ("unknown" if there is none). */
    record Claimed(ClockStage stage, ClockState state, String referralStatus) {
    }

    /**
     * The stages a scan claimed, and how many it left because another store transaction held their clocks (a
     * store writer's batch stopping them, another instance claiming them): those are looked at again soon.
     */
    record Claims(List<Claimed> claimed, int held) {
    }

    /**
     * Takes due stages for this instance to escalate, in one store transaction (one commit for a flood's stages,
     * where one each took 0.5–45 ms under load: #13), and reads their clocks and referrals' status in it. Those
     * another instance holds, that are done, or whose clock has stopped are left out; so are those whose clock
     * another transaction holds now ({@link #lockFree}). Should the store fail, none is taken.
     */
    Claims claim(List<ClockStage> stages) {
        if (stages.isEmpty()) {
            return new Claims(List.of(), 0);
        }
        return store.execute(tx -> {
            Set<String> free = lockFree(stages);
            Timestamp now = ts(clock.instant());
            Timestamp lapsed = ts(clock.instant().minus(CLAIM_LEASE));
            List<ClockStage> taken = new ArrayList<>();
            int held = 0;
            for (ClockStage.Stage kind : ClockStage.Stage.values()) {
                List<ClockStage> ofKind = stages.stream().filter(s -> s.stage() == kind).toList();
                List<ClockStage> claimable = ofKind.stream().filter(s -> free.contains(key(s))).toList();
                held += ofKind.size() - claimable.size();
                if (claimable.isEmpty()) {
                    continue;
                }
                int[] claimed = jdbc.batchUpdate("update referral_clock set " + claimed(kind) + " = ? where referral_id = ?"
                                + " and clock = ? and stopped_at is null and " + done(kind) + " is null and ("
                                + claimed(kind) + " is null or " + claimed(kind) + " < ?)",
                        claimable.stream().map(s -> new Object[] {now, s.referralId().toString(), s.clock(), lapsed}).toList());
                for (int i = 0; i < claimed.length; i++) {
                    if (claimed[i] == java.sql.Statement.SUCCESS_NO_INFO) {
                        throw new IllegalStateException("the store did not say which clock stages it claimed");
                    }
                    if (claimed[i] == 1) {
                        taken.add(claimable.get(i));
                    }
                }
            }
            return new Claims(withStates(taken), held);
        });
    }

    /**
     * Locks, for the caller's store transaction, the clocks of {@code stages} that no other transaction holds, and
     * skips the others ({@code for update skip locked}). @return the clocks locked ({@link #key})
     *
     * <p>So a transaction of the scan that claims or records a wave never waits for a clock's row lock, and cannot
     * close a deadlock with a store writer's batch: such a batch stops the clocks of the referrals delivered in it,
     * in its own order, and may hold some of a wave's clocks while it waits for others. The store would break such
     * a deadlock by aborting one of the two, and a claim aborted so, or a record, made an escalation late.
     */
    Set<String> lockFree(List<ClockStage> stages) {
        Map<String, ClockStage> clocks = new java.util.LinkedHashMap<>();
        stages.forEach(stage -> clocks.putIfAbsent(key(stage), stage));
        Object[] arguments = clocks.values().stream()
                .flatMap(stage -> java.util.stream.Stream.of(stage.referralId().toString(), stage.clock())).toArray();
        Set<String> locked = new HashSet<>();
        jdbc.query("select referral_id, clock from referral_clock where (referral_id, clock) in ("
                        + String.join(", ", Collections.nCopies(clocks.size(), "(?, ?)")) + ") for update skip locked",
                rs -> {
                    locked.add(rs.getString(1) + "/" + rs.getString(2));
                }, arguments);
        return locked;
    }

    /** A stage's clock, as {@link #lockFree} names it: its referral and clock. */
    static String key(ClockStage stage) {
        return stage.referralId() + "/" + stage.clock();
    }

    private List<Claimed> withStates(List<ClockStage> taken) {
        if (taken.isEmpty()) {
            return List.of();
        }
        List<String> referrals = taken.stream().map(s -> s.referralId().toString()).distinct().toList();
        Map<String, ClockState> states = new HashMap<>();
        Map<String, String> statuses = new HashMap<>();
        jdbc.query("select c.*, r.status as referral_status from referral_clock c left join referral r"
                        + " on r.referral_id = c.referral_id where c.referral_id in ("
                        + String.join(", ", Collections.nCopies(referrals.size(), "?")) + ")",
                rs -> {
                    String status = rs.getString("referral_status");
                    states.put(rs.getString("referral_id") + "/" + rs.getString("clock"), state(rs));
                    statuses.put(rs.getString("referral_id"), status == null ? "unknown" : status.toLowerCase(Locale.ROOT));
                }, referrals.toArray());
        return taken.stream()
                .map(stage -> new Claimed(stage, states.get(stage.referralId() + "/" + stage.clock()),
                        statuses.get(stage.referralId().toString())))
                .toList();
    }

    /** Gives a claimed stage back (its escalation could not be sent): the next scan takes it again. */
    void release(ClockStage stage) {
        jdbc.update("update referral_clock set " + claimed(stage.stage()) + " = null where referral_id = ? and clock = ?",
                stage.referralId().toString(), stage.clock());
    }

    private static String done(ClockStage.Stage stage) {
        return stage == ClockStage.Stage.WARNING ? "warned_at" : "breached_at";
    }

    private static String dueAt(ClockStage.Stage stage) {
        return stage == ClockStage.Stage.WARNING ? "warn_at" : "deadline";
    }

    private static String claimed(ClockStage.Stage stage) {
        return stage == ClockStage.Stage.WARNING ? "warn_claimed_at" : "breach_claimed_at";
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
        // by the referral alone, running ones picked here: with "and stopped_at is null" H2's planner took the index
        // on stopped_at once it had statistics, and read every running clock for each delivery (#13: 80 % of the
        // store writer's time). A referral has a handful of clocks; the primary key finds them.
        return jdbc.query("select clock, stops_on, stopped_at from referral_clock where referral_id = ?",
                        (rs, i) -> rs.getObject(3) == null ? new RunningClock(rs.getString(1), rs.getString(2)) : null,
                        referralId.toString())
                .stream().filter(Objects::nonNull).toList();
    }

    /** Marks a stage as escalated; false when it already was (another instance, or a retried timer). */
    boolean markEscalated(UUID referralId, String name, ClockStage.Stage stage) {
        String column = done(stage);
        return jdbc.update("update referral_clock set " + column + " = ? where referral_id = ? and clock = ? and "
                + column + " is null", ts(clock.instant()), referralId.toString(), name) == 1;
    }

    /**
     * At most {@code limit} running clocks past their warning point: those still before their deadline first (what
     * can still be met), then those past it; soonest deadline first within each. Never all of them: after a long
     * partner outage every waiting referral's clocks are late, and a list of them all could run the heap out.
     */
    public List<ClockState> nearOrPastBreach(int limit) {
        Timestamp now = ts(clock.instant());
        return jdbc.query("select * from referral_clock where stopped_at is null and warn_at <= ?"
                        + " order by case when deadline > ? then 0 else 1 end, deadline fetch first " + limit + " rows only",
                (rs, i) -> state(rs), now, now);
    }

    public List<ClockState> ofIncident(String incidentId) {
        return jdbc.query("select * from referral_clock where incident_id = ? order by deadline",
                (rs, i) -> state(rs), incidentId);
    }

    /**
     * How many clocks run at {@code now}, how many of them are past their warning point and before their deadline,
     * and how many past their deadline: one pass over the running clocks.
     */
    public Counts count(Instant now) {
        Timestamp at = ts(now);
        return jdbc.queryForObject("select count(*) as running,"
                        + " coalesce(sum(case when warn_at <= ? and deadline > ? then 1 else 0 end), 0) as near_breach,"
                        + " coalesce(sum(case when deadline <= ? then 1 else 0 end), 0) as breached"
                        + " from referral_clock where stopped_at is null",
                (rs, i) -> new Counts(now, rs.getLong("running"), rs.getLong("near_breach"), rs.getLong("breached")), at, at, at);
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

package vn.quangninh.cphub.clock;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.outbox.PartnerOutbox;
import vn.quangninh.cphub.store.Journey;

/**
 * What happens when a clock's timer is due: nothing if the clock was stopped in time; otherwise an
 * escalation to the supervisor partner ({@code escalateTo} in config/clocks.yaml) — a warning before the
 * deadline, a breach at it. The escalation carries ids, the clock and its times, never the child's data.
 */
@Component
public class ClockFiring {

    private static final Logger LOG = LoggerFactory.getLogger(ClockFiring.class);

    private final ReferralClocks clocks;
    private final ClockPolicy policy;
    private final PartnerOutbox outbox;
    private final Journey journey;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Clock clock;

    public ClockFiring(ReferralClocks clocks, ClockPolicy policy, PartnerOutbox outbox, Journey journey, JdbcTemplate jdbc,
                       ObjectMapper json, MeterRegistry meters, Clock clock) {
        this.clocks = clocks;
        this.policy = policy;
        this.outbox = outbox;
        this.journey = journey;
        this.jdbc = jdbc;
        this.json = json;
        this.meters = meters;
        this.clock = clock;
    }

    /** An escalation that has reached the broker, not yet recorded as done. */
    record Sent(ClockStage stage, ReferralClocks.ClockState state) {
    }

    /**
     * Sends the escalation of a stage that has come due, unless its clock has stopped or another instance holds
     * it. @return the escalation sent, for {@link #record}; empty when there was none to send
     */
    Optional<Sent> send(ClockStage due) {
        ReferralClocks.ClockState state = clocks.find(due.referralId(), due.clock());
        if (state == null || state.stoppedAt() != null || !clocks.claim(due)) {
            return Optional.empty();
        }
        if (due.stage() == ClockStage.Stage.WARNING && !clock.instant().isBefore(state.deadline())) {
            // a warning that comes due only after the deadline (the hub was down): the breach says it all
            clocks.markEscalated(due.referralId(), due.clock(), due.stage());
            return Optional.empty();
        }
        try {
            // everything after the claim gives it back when it fails (the status read too), so the next scan tries
            // again instead of waiting for the claim to lapse
            ObjectNode escalation = json.createObjectNode()
                    .put("kind", "clock-escalation")
                    .put("stage", stageName(due))
                    .put("clock", state.clock())
                    .put("description", policy.kind(state.clock()).description())
                    .put("referralId", state.referralId())
                    .put("incidentId", state.incidentId())
                    .put("recipient", state.partner())
                    .put("startedAt", state.startedAt().toString())
                    .put("deadline", state.deadline().toString())
                    // when this stage came due: the warning point or the deadline (the hub escalates it then)
                    .put("dueAt", (due.stage() == ClockStage.Stage.WARNING ? state.warnAt() : state.deadline()).toString())
                    .put("minutesLeft", Duration.between(clock.instant(), state.deadline()).toMinutes())
                    .put("referralStatus", referralStatus(state.referralId()));
            // sent before it is marked: should this instance die in between, the claim lapses and another sends it
            // again with the same duplicate id (the broker drops it; the partner sees the same Idempotency-Key)
            outbox.send(policy.escalateTo(), "clock-escalation", escalation, state.incidentId(), state.referralId(),
                    due.id(), 9);
        } catch (RuntimeException notSent) {
            clocks.release(due);
            throw notSent;
        }
        return Optional.of(new Sent(due, state));
    }

    /**
     * Marks a sent escalation's stage as done, with its journey step, metric and log line. Should the store fail
     * here, the stage stays claimed: once the claim lapses it is sent again, with the same duplicate id.
     */
    void record(Sent sent) {
        ClockStage due = sent.stage();
        ReferralClocks.ClockState state = sent.state();
        clocks.markEscalated(due.referralId(), due.clock(), due.stage());
        journey.record(state.incidentId(), state.referralId(), policy.escalateTo(), Journey.Step.ESCALATED, null,
                state.clock() + " " + stageName(due), null);
        meters.counter("cphub.clocks.escalations", "clock", state.clock(), "stage", stageName(due)).increment();
        LOG.warn("Clock {} of referral {} (incident {}, to {}) {}: escalated to {}", state.clock(), state.referralId(),
                state.incidentId(), state.partner(), due.stage() == ClockStage.Stage.WARNING ? "is near its deadline "
                        + state.deadline() : "BREACHED its deadline " + state.deadline(), policy.escalateTo());
    }

    private static String stageName(ClockStage due) {
        return due.stage().name().toLowerCase(java.util.Locale.ROOT);
    }

    private String referralStatus(String referralId) {
        return jdbc.query("select status from referral where referral_id = ?", rs -> rs.next()
                ? rs.getString(1).toLowerCase(java.util.Locale.ROOT) : "unknown", referralId);
    }
}

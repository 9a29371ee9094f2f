package vn.quangninh.cphub.clock;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import vn.quangninh.cphub.outbox.PartnerOutbox;
import vn.quangninh.cphub.store.Journey;

/**
 * What happens when a running clock's stage is due and this instance has claimed it ({@link ReferralClocks#claim}:
 * a clock stopped in time is not claimed): an escalation to the supervisor partner ({@code escalateTo} in
 * config/clocks.yaml) — a warning before the deadline, a breach at it — and, once sent, its record. The
 * escalation carries ids, the clock and its times, never the child's data.
 */
@Component
public class ClockFiring {

    private static final Logger LOG = LoggerFactory.getLogger(ClockFiring.class);

    private final ReferralClocks clocks;
    private final ClockPolicy policy;
    private final PartnerOutbox outbox;
    private final Journey journey;
    private final TransactionTemplate store;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Clock clock;

    public ClockFiring(ReferralClocks clocks, ClockPolicy policy, PartnerOutbox outbox, Journey journey,
                       PlatformTransactionManager storeTransactionManager, ObjectMapper json, MeterRegistry meters, Clock clock) {
        this.clocks = clocks;
        this.policy = policy;
        this.outbox = outbox;
        this.journey = journey;
        this.store = new TransactionTemplate(storeTransactionManager);
        this.json = json;
        this.meters = meters;
        this.clock = clock;
    }

    /** An escalation that has reached the broker, not yet recorded as done. */
    record Sent(ClockStage stage, ReferralClocks.ClockState state) {
    }

    /**
     * Sends the escalation of a stage this instance has claimed ({@link ReferralClocks#claim}); should it fail,
     * the stage is given back. @return the escalation sent, for {@link #record}; empty when there was none to send
     */
    Optional<Sent> send(ReferralClocks.Claimed claimed) {
        ClockStage due = claimed.stage();
        ReferralClocks.ClockState state = claimed.state();
        try {
            if (due.stage() == ClockStage.Stage.WARNING && !clock.instant().isBefore(state.deadline())) {
                // a warning that comes due only after the deadline (the hub was down): the breach says it all
                clocks.markEscalated(due.referralId(), due.clock(), due.stage());
                return Optional.empty();
            }
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
                    .put("referralStatus", claimed.referralStatus());
            // sent before it is marked: should this instance die in between, the claim lapses and another sends it
            // again with the same duplicate id (the broker drops it; the partner sees the same Idempotency-Key)
            outbox.send(policy.escalateTo(), "clock-escalation", escalation, state.incidentId(), state.referralId(),
                    due.id(), 9);
        } catch (RuntimeException notSent) {
            // given back, so the next scan tries again instead of waiting for the claim to lapse
            clocks.release(due);
            throw notSent;
        }
        return Optional.of(new Sent(due, state));
    }

    /**
     * Marks sent escalations' stages as done, with their journey steps, in one store transaction; then counts and
     * logs them. A stage whose clock another store transaction holds (a store writer's batch stopping it) is not
     * waited for in that transaction ({@link ReferralClocks#lockFree}): it is recorded after it, in one of its own,
     * which waits for that writer and holds nothing the writer could wait for. Should the store fail, the stages
     * not recorded stay claimed: once the claims lapse they are sent again, with the same duplicate ids.
     */
    void record(List<Sent> sent) {
        if (sent.isEmpty()) {
            return;
        }
        List<Sent> held;
        try {
            held = store.execute(tx -> {
                Set<String> free = clocks.lockFree(sent.stream().map(Sent::stage).toList());
                List<Sent> notFree = new ArrayList<>();
                for (Sent escalation : sent) {
                    if (free.contains(ReferralClocks.key(escalation.stage()))) {
                        mark(escalation);
                    } else {
                        notFree.add(escalation);
                    }
                }
                return notFree;
            });
        } catch (RuntimeException storeFailed) {
            sent.forEach(escalation -> notRecorded(escalation, storeFailed));
            return;
        }
        sent.stream().filter(escalation -> !held.contains(escalation)).forEach(this::recorded);
        for (Sent escalation : held) {
            try {
                store.executeWithoutResult(tx -> mark(escalation));
                recorded(escalation);
            } catch (RuntimeException storeFailed) {
                notRecorded(escalation, storeFailed);
            }
        }
    }

    private void mark(Sent escalation) {
        ClockStage due = escalation.stage();
        ReferralClocks.ClockState state = escalation.state();
        clocks.markEscalated(due.referralId(), due.clock(), due.stage());
        journey.record(state.incidentId(), state.referralId(), policy.escalateTo(), Journey.Step.ESCALATED, null,
                state.clock() + " " + stageName(due), null);
    }

    private void recorded(Sent escalation) {
        ClockStage due = escalation.stage();
        ReferralClocks.ClockState state = escalation.state();
        meters.counter("cphub.clocks.escalations", "clock", state.clock(), "stage", stageName(due)).increment();
        LOG.warn("Clock {} of referral {} (incident {}, to {}) {}: escalated to {}", state.clock(), state.referralId(),
                state.incidentId(), state.partner(), due.stage() == ClockStage.Stage.WARNING ? "is near its deadline "
                        + state.deadline() : "BREACHED its deadline " + state.deadline(), policy.escalateTo());
    }

    private static void notRecorded(Sent escalation, RuntimeException storeFailed) {
        ClockStage stage = escalation.stage();
        LOG.warn("Clock {} of referral {}: its {} was escalated, but the store did not record it ({}); it is sent again,"
                + " with the same id, once its claim lapses", stage.clock(), stage.referralId(), stage.stage(),
                storeFailed.getClass().getSimpleName());
    }

    private static String stageName(ClockStage due) {
        return due.stage().name().toLowerCase(java.util.Locale.ROOT);
    }
}

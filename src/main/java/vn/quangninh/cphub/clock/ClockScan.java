package vn.quangninh.cphub.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Finds the clock stages that have come due in the store's {@code referral_clock} table and fires them
 * ({@link ClockFiring}), on a thread of its own. It looks when the next stage it knows of comes due, and at
 * least every {@code cphub.clocks.scan-interval}: after each scan it reads from the store when the next stage is
 * due, and a clock started meanwhile that comes due sooner rings its {@link ClockAlarm}. So an escalation leaves
 * when its stage comes due, not up to an interval later (#13: escalations reach the supervisor like an
 * emergency). The table is the only timer: starting a clock is one row, not two scheduled executions more per
 * clock (triage wrote twelve timer rows per incident).
 *
 * <p>Every hub instance scans; one escalates each stage: it claims the stage in the store first (the claim lapses
 * after a minute, should it die meanwhile), and the others find the next due stage without the claimed one. A
 * stage whose escalation cannot be sent (the broker is away) is given back and found again after an interval,
 * as is everything when the store cannot be read. When more stages are due at once than one scan fires
 * ({@value #BATCH} of each stage, a flood after a long partner outage), the rest are fired an interval later:
 * the hub's work goes to delivering the waiting referrals, which is what stops their clocks.
 */
@Component
public class ClockScan implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ClockScan.class);
    static final int BATCH = 500;
    /** How many escalations are sent before they are recorded as done (then the next are sent). */
    private static final int SENT_UNRECORDED = 16;
    /**
     * The least time between two scans, whatever is due: stages that come due within it go out together (during a
     * backlog a stage comes due every few milliseconds), and a bound on any loop the store's answers could make.
     * A stage waits up to this long for its scan, so it is a part of an escalation's latency (#13: p99 250 ms);
     * a scan is four reads of the store's due-time indexes, at most 40 times a second.
     */
    private static final Duration LEAST_GAP = Duration.ofMillis(25);

    private final ReferralClocks clocks;
    private final ClockFiring firing;
    private final ClockAlarm alarm;
    private final Clock clock;
    private final Duration interval;
    private volatile Thread scanner;

    public ClockScan(ReferralClocks clocks, ClockFiring firing, ClockAlarm alarm, Clock clock,
                     @Value("${cphub.clocks.scan-interval}") Duration interval) {
        this.clocks = clocks;
        this.firing = firing;
        this.alarm = alarm;
        this.clock = clock;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        Thread thread = new Thread(this::scanUntilStopped, "cphub-clock-scan");
        thread.setDaemon(true);
        scanner = thread;
        thread.start();
    }

    @Override
    public synchronized void stop() {
        Thread thread = scanner;
        scanner = null;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return scanner != null;
    }

    private void scanUntilStopped() {
        try {
            // the first scan an interval after the start, as the hub's routes come up; a stage rung for is sooner
            alarm.sleepUntil(clock.instant().plus(interval));
            while (scanner == Thread.currentThread()) {
                Instant scanned = clock.instant();
                Instant next = fireDue(scanned) ? nextDue(scanned) : scanned.plus(interval);
                Instant least = clock.instant().plus(LEAST_GAP);
                alarm.sleepUntil(next.isBefore(least) ? least : next);
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return true when every stage due by {@code scanned} that was found was fired, and fewer than a scan takes */
    boolean fireDue(Instant scanned) {
        try {
            List<ClockStage> due = clocks.due(BATCH, scanned);
            boolean allFired = true;
            // the escalations sent first, then recorded: the stages due together (a referral's two partners) do not
            // wait for one another's store writes (#13: the second of two went 35 ms after the first). At most
            // SENT_UNRECORDED at a time, so that a flood's claims are marked long before they lapse.
            List<ClockFiring.Sent> sent = new java.util.ArrayList<>();
            for (ClockStage stage : due) {
                try {
                    firing.send(stage).ifPresent(sent::add);
                } catch (RuntimeException e) {
                    allFired = false;
                    LOG.warn("Clock {} of referral {}: its {} could not be escalated now ({}); the next scan tries again",
                            stage.clock(), stage.referralId(), stage.stage(), e.getClass().getSimpleName());
                }
                if (sent.size() >= SENT_UNRECORDED) {
                    allFired &= record(sent);
                }
            }
            allFired &= record(sent);
            boolean full = due.stream().filter(s -> s.stage() == ClockStage.Stage.WARNING).count() >= BATCH
                    || due.stream().filter(s -> s.stage() == ClockStage.Stage.BREACH).count() >= BATCH;
            return allFired && !full;
        } catch (RuntimeException storeUnavailable) {
            LOG.warn("Clock scan skipped: {}", storeUnavailable.getClass().getSimpleName());
            return false;
        }
    }

    /** Records the escalations sent and empties the list. @return true when the store recorded every one */
    private boolean record(List<ClockFiring.Sent> sent) {
        boolean allRecorded = true;
        for (ClockFiring.Sent escalation : sent) {
            try {
                firing.record(escalation);
            } catch (RuntimeException e) {
                allRecorded = false;
                ClockStage stage = escalation.stage();
                LOG.warn("Clock {} of referral {}: its {} was escalated, but the store did not record it ({}); it is sent"
                        + " again, with the same id, once its claim lapses", stage.clock(), stage.referralId(),
                        stage.stage(), e.getClass().getSimpleName());
            }
        }
        sent.clear();
        return allRecorded;
    }

    /** When the next stage comes due after {@code scanned}, at most an interval after it. */
    private Instant nextDue(Instant scanned) {
        Instant latest = scanned.plus(interval);
        try {
            return clocks.nextDue(scanned, latest).orElse(latest);
        } catch (RuntimeException storeUnavailable) {
            LOG.warn("Clock scan: the next due stage could not be read ({})", storeUnavailable.getClass().getSimpleName());
            return latest;
        }
    }
}

package vn.quangninh.cphub.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 *
 * <p>The stages a scan finds are claimed in one store transaction, with their clocks and referrals' status read in
 * it ({@link ReferralClocks#claim}); their escalations are sent on {@value #SENDERS} threads of the scan's own, and
 * recorded (marked, journaled) by one more thread, in one transaction, while the next scan looks. Each send waits
 * for the broker to take the message, and each store statement for its own commit, so one after another the
 * fortieth stage of a flood waited for thirty-nine (#13: 20 emergencies posted at once, their 40 warnings due within
 * 30 ms, reached the supervisor at p99 444–655 ms). Stages due at the same moment may reach the partner in any
 * order among themselves, as the sink's consumers deliver them anyway.
 *
 * <p>Neither the claim nor the record waits for a clock that another store transaction holds (a store writer's
 * batch of deliveries stopping it, another instance claiming it): holding the rest of a wave meanwhile, it could
 * close a deadlock with that batch. Such a stage is looked at again after the least gap between scans, and
 * recorded in a transaction of its own ({@link ReferralClocks#lockFree}).
 */
@Component
public class ClockScan implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ClockScan.class);
    static final int BATCH = 500;
    /**
     * How many stages are claimed and sent at a time before they are handed to the recorder (then the next are
     * claimed): a flood's first wave at once, few enough that the last is recorded long before its claim lapses.
     */
    private static final int SENT_UNRECORDED = 64;
    /** The threads that send a scan's escalations at once. */
    private static final int SENDERS = 8;
    /**
     * The least time between the starts of two scans, whatever is due: stages that come due within it go out
     * together (during a backlog a stage comes due every few milliseconds), and a bound on any loop the store's
     * answers could make. A stage waits up to this long for its scan, so it is a part of an escalation's latency
     * (#13: p99 250 ms); a scan is four reads of the store's due-time indexes, at most 40 times a second.
     */
    private static final Duration LEAST_GAP = Duration.ofMillis(25);

    private final ReferralClocks clocks;
    private final ClockFiring firing;
    private final ClockAlarm alarm;
    private final Clock clock;
    private final Duration interval;
    private volatile Thread scanner;
    private volatile ExecutorService senders;
    private volatile ExecutorService recorder;
    /** The recorder's last task (the scanner's thread only). */
    private Future<?> recording = CompletableFuture.completedFuture(null);

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
        AtomicInteger sender = new AtomicInteger();
        senders = Executors.newFixedThreadPool(SENDERS, task -> daemon(task, "cphub-clock-send-" + sender.incrementAndGet()));
        recorder = Executors.newSingleThreadExecutor(task -> daemon(task, "cphub-clock-record"));
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
        if (senders != null) {
            // escalations on their way finish (the broker has them or they are given back); none is begun. Those
            // handed to the recorder are recorded before the store closes; those of a scan stopped in the middle of
            // its sends are sent again, with the same ids, once their claims lapse.
            senders.shutdown();
            recorder.shutdown();
            try {
                recorder.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
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
                Instant next = switch (fireDue(scanned)) {
                    case NOTHING -> nextDue(scanned);
                    // held by another store transaction a moment ago: looked at again after the least gap
                    case HELD -> scanned;
                    case FOR_LATER -> scanned.plus(interval);
                };
                // from this scan's start: a stage that came due while it sent waits for no gap after it (#13)
                Instant least = scanned.plus(LEAST_GAP);
                alarm.sleepUntil(next.isBefore(least) ? least : next);
            }
        } catch (InterruptedException | RejectedExecutionException stopped) {
            // (the senders refuse work once the hub stops, should a scan outlast stop()'s wait)
            Thread.currentThread().interrupt();
        }
    }

    /** What a scan left of the stages due. */
    enum Left {
        /** Each stage due that was found is sent: the next scan is when the next stage comes due. */
        NOTHING,
        /** Stages whose clocks another store transaction held (a store writer stopping them): they are looked at again soon. */
        HELD,
        /** Stages not sent (the broker or the store failed), or more due than a scan takes: the next scan an interval later. */
        FOR_LATER
    }

    /**
     * @return what this scan left of the stages due by {@code scanned}
     * @throws InterruptedException the hub stops: escalations sent but not recorded are sent again, with the same
     *                              id, once their claims lapse
     */
    Left fireDue(Instant scanned) throws InterruptedException {
        boolean allSent = true;
        boolean held = false;
        List<ClockStage> due;
        try {
            due = clocks.due(BATCH, scanned);
            // sent first, then recorded by the recorder while the next scan looks: the stages due together (a
            // referral's two partners, a flood's emergencies) wait neither for one another's store writes nor for
            // the last scan's (#13); claimed SENT_UNRECORDED at a time, so that a flood's claims are marked long
            // before they lapse
            for (int from = 0; from < due.size(); from += SENT_UNRECORDED) {
                ReferralClocks.Claims claims = clocks.claim(due.subList(from, Math.min(due.size(), from + SENT_UNRECORDED)));
                held |= claims.held() > 0;
                List<ReferralClocks.Claimed> claimed = claims.claimed();
                List<Future<Optional<ClockFiring.Sent>>> sending = new ArrayList<>();
                for (ReferralClocks.Claimed stage : claimed) {
                    sending.add(senders.submit(() -> firing.send(stage)));
                }
                List<ClockFiring.Sent> sent = new ArrayList<>();
                for (int i = 0; i < claimed.size(); i++) {
                    try {
                        sending.get(i).get().ifPresent(sent::add);
                    } catch (ExecutionException e) {
                        allSent = false;
                        ClockStage stage = claimed.get(i).stage();
                        LOG.warn("Clock {} of referral {}: its {} could not be escalated now ({}); the next scan tries again",
                                stage.clock(), stage.referralId(), stage.stage(), e.getCause().getClass().getSimpleName());
                    }
                }
                recordAfterTheLast(sent);
            }
        } catch (RejectedExecutionException stopping) {
            // the hub stops (stop() outwaited): the stages of this wave are claimed, and are sent once the claims lapse
            throw stopping;
        } catch (RuntimeException storeUnavailable) {
            LOG.warn("Clock scan: due stages could not be read or claimed ({}); the next scan tries again",
                    storeUnavailable.getClass().getSimpleName());
            return Left.FOR_LATER;
        }
        boolean full = due.stream().filter(s -> s.stage() == ClockStage.Stage.WARNING).count() >= BATCH
                || due.stream().filter(s -> s.stage() == ClockStage.Stage.BREACH).count() >= BATCH;
        return !allSent || full ? Left.FOR_LATER : held ? Left.HELD : Left.NOTHING;
    }

    /**
     * Hands the escalations sent to the recorder, once it has recorded the last ones it was given: it is at most
     * one wave behind the sends.
     */
    private void recordAfterTheLast(List<ClockFiring.Sent> sent) throws InterruptedException {
        try {
            recording.get();
        } catch (ExecutionException e) {
            LOG.warn("Clock scan: recording escalations failed ({})", e.getCause().getClass().getSimpleName());
        }
        recording = recorder.submit(() -> firing.record(sent));
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

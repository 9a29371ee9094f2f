package vn.quangninh.cphub.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

/**
 * When the clock scan ({@link ClockScan}) should look next. The scan sleeps here until the next stage it knows of
 * comes due, or at most its interval; a clock started meanwhile whose stage comes due sooner {@link #ring rings}
 * it earlier. Time is the hub's {@link Clock}, so a test that moves it is seen at the next wake.
 */
@Component
public class ClockAlarm {

    private final Clock clock;
    /** the earliest due time announced since the scan last looked; {@link Instant#MAX}: none */
    private Instant rung = Instant.MAX;

    public ClockAlarm(Clock clock) {
        this.clock = clock;
    }

    /** A stage comes due at {@code due}: the scan looks then, if it was to sleep longer. */
    public synchronized void ring(Instant due) {
        if (due.isBefore(rung)) {
            rung = due;
            notifyAll();
        }
    }

    /**
     * Sleeps until {@code until}, or until a stage rung for comes due if that is sooner, and never returns before
     * that moment. The stages rung for that are due by the time it returns are forgotten: the scan that follows
     * finds them in the store.
     */
    synchronized void sleepUntil(Instant until) throws InterruptedException {
        while (true) {
            Instant now = clock.instant();
            Instant wake = rung.isBefore(until) ? rung : until;
            long nanos = Duration.between(now, wake).toNanos();
            if (nanos <= 0) {
                if (!rung.isAfter(now)) {
                    rung = Instant.MAX;
                }
                return;
            }
            // whole milliseconds, rounded up: rounded down, a stage due in 0.7 ms woke the scan 0.7 ms early, it
            // found nothing due yet and slept the scan's least gap (100 ms) before it escalated (#13: most of the
            // escalations' 110 ms due->delivered in bench/RESULTS.md)
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + TimeUnit.MILLISECONDS.toNanos(1) - 1)));
        }
    }
}

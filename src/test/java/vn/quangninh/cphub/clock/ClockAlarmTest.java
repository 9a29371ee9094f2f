package vn.quangninh.cphub.clock;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clock scan's alarm on the system clock: it never wakes the scan before the moment it was asked for. A wake
 * a fraction of a millisecond early found no stage due yet, and the scan then slept its least gap before the
 * escalation left (#13: the escalations' due->delivered p50 of 110 ms in bench/RESULTS.md).
 */
class ClockAlarmTest {

    private final Clock clock = Clock.systemUTC();
    private final ClockAlarm alarm = new ClockAlarm(clock);

    @Test
    void theScanNeverWakesBeforeTheMomentItSleepsUntil() throws InterruptedException {
        List<String> early = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // from a tenth of a millisecond to just under three milliseconds: fractions rounded down woke it early
            Instant until = clock.instant().plusNanos(100_000L + i * 70_000L);
            alarm.sleepUntil(until);
            Instant woke = clock.instant();
            if (woke.isBefore(until)) {
                early.add(java.time.Duration.between(woke, until).toNanos() + " ns early");
            }
        }
        assertThat(early).isEmpty();
    }

    @Test
    void aStageRungForWakesTheScanAtItsMomentAndNotBefore() throws InterruptedException {
        Instant due = clock.instant().plusMillis(30).plusNanos(600_000);
        alarm.ring(due);
        alarm.sleepUntil(clock.instant().plusSeconds(10));
        Instant woke = clock.instant();
        assertThat(woke).isAfterOrEqualTo(due);
        assertThat(java.time.Duration.between(due, woke)).isLessThan(java.time.Duration.ofSeconds(1));
    }
}

package vn.quangninh.cphub.outbox;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routine work waits while an emergency is under way: until it ends (and the hold after it), never longer than the
 * longest pause, and not at all when none is.
 */
class EmergencyFirstTest {

    @Test
    void routineWorkDoesNotWaitWhenNoEmergencyIsUnderWay() {
        EmergencyFirst lanes = new EmergencyFirst(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(5));
        lanes.yieldTo();
        lanes.begun();
        lanes.ended();
        EmergencyFirst noHold = new EmergencyFirst(Duration.ZERO, Duration.ofSeconds(30), Duration.ofMinutes(5));
        noHold.begun();
        noHold.ended();
        noHold.yieldTo();
        assertThat(noHold.pausedSeconds()).as("waited with no emergency under way").isZero();
        assertThat(lanes.emergencyUnderWay()).as("within the hold after an emergency").isTrue();
    }

    @Test
    void routineWorkWaitsUntilTheEmergencyHasEnded() throws Exception {
        EmergencyFirst lanes = new EmergencyFirst(Duration.ofMillis(50), Duration.ofMinutes(5), Duration.ofMinutes(5));
        lanes.begun();
        lanes.begun();
        CompletableFuture<Void> routine = CompletableFuture.runAsync(lanes::yieldTo);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !routine.isDone());
        lanes.ended();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !routine.isDone());
        lanes.ended();
        routine.get(10, TimeUnit.SECONDS);
        assertThat(lanes.pausedSeconds()).isGreaterThanOrEqualTo(1.0);
        assertThat(lanes.emergencyUnderWay()).as("went on before the hold after the last emergency was over").isFalse();
    }

    @Test
    void routineWorkWaitsNoLongerThanTheLongestPause() throws Exception {
        EmergencyFirst lanes = new EmergencyFirst(Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofMinutes(5));
        lanes.begun(); // never ends: a steady stream of emergencies
        long start = System.nanoTime();
        CompletableFuture.runAsync(lanes::yieldTo).get(10, TimeUnit.SECONDS);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
    }

    @Test
    void anEmergencyCountsNoLongerThanTheWindowAfterTheLastOneBegan() throws Exception {
        EmergencyFirst lanes = new EmergencyFirst(Duration.ofMillis(50), Duration.ofMinutes(5), Duration.ofMillis(400));
        lanes.begun(); // waits long on a slow partner's answer
        assertThat(lanes.emergencyUnderWay()).isTrue();
        long start = System.nanoTime();
        CompletableFuture.runAsync(lanes::yieldTo).get(10, TimeUnit.SECONDS);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(400));
        assertThat(lanes.emergencyUnderWay()).isFalse();
        lanes.begun(); // another emergency: counts again
        assertThat(lanes.emergencyUnderWay()).isTrue();
    }

    @Test
    void aLongestPauseOfZeroTurnsTheWaitingOff() throws Exception {
        EmergencyFirst lanes = new EmergencyFirst(Duration.ofMillis(50), Duration.ZERO, Duration.ofMinutes(5));
        lanes.begun();
        CompletableFuture.runAsync(lanes::yieldTo).get(10, TimeUnit.SECONDS);
        assertThat(lanes.pausedSeconds()).isZero();
    }
}

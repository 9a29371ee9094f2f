package vn.quangninh.cphub.outbox;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;

/**
 * While an emergency is being worked on in the hub, routine work waits before it takes its next message, so the
 * cores go to the emergency. The lanes give an emergency queues and consumers of its own, so no backlog stands
 * before it in a queue; but a draining backlog still takes the CPU (its triage, its store commits, the broker's
 * work for it, its deliveries) that an emergency's hops need.
 *
 * <p>Two route policies. {@link #emergencyLanes()} is on every emergency route (triage of
 * {@code cphub.intake.urgent}, each partner's {@code cphub.deliver.<partner>.urgent}) and counts the exchanges
 * under way there. {@link #routineLanes()} is on their routine counterparts: before a routine exchange starts it
 * waits while one is under way, and for {@code hold} after the last one ended (which bridges the hand-over from
 * one emergency hop to the next: from triage to a partner's lane), but at most {@code maxPause} per exchange, so
 * a steady stream of emergencies slows routine work and never stops it. An emergency counts for at most
 * {@code window} after the last one began: one waiting long on a slow partner's answer does not hold routine work
 * back meanwhile (and a count that went wrong could not either). The wait holds the routine message untried in
 * its JMS transaction, as a circuit does; it never fails, drops or reorders anything, and exchanges already under
 * way finish. A {@code maxPause} of zero turns the waiting off.
 *
 * <p>The policies are plain {@link RoutePolicy}s, not Camel services: one instance serves many routes, and Camel
 * skips a stopped service's callbacks, so an operator stopping one route would have left the count one too high.
 */
public final class EmergencyFirst {

    private final long holdNanos;
    private final long maxPauseNanos;
    private final long windowNanos;
    private final Object gate = new Object();
    /** Emergency exchanges under way. */
    private volatile int underWay;
    /** When the last one began and when the last one ended (System.nanoTime). */
    private volatile long lastBegun;
    private volatile long lastEnded;
    private volatile long pausedNanos;

    public EmergencyFirst(Duration hold, Duration maxPause, Duration window) {
        this.holdNanos = hold.toNanos();
        this.maxPauseNanos = maxPause.toNanos();
        this.windowNanos = window.toNanos();
        long longAgo = System.nanoTime() - Math.max(holdNanos, windowNanos) - 1;
        this.lastBegun = longAgo;
        this.lastEnded = longAgo;
    }

    /** The policy of the emergency lanes' routes: counts their exchanges under way. */
    public RoutePolicy emergencyLanes() {
        return new Callbacks() {
            @Override
            public void onExchangeBegin(Route route, Exchange exchange) {
                begun();
            }

            @Override
            public void onExchangeDone(Route route, Exchange exchange) {
                ended();
            }
        };
    }

    /** The policy of the routine lanes' routes: waits while an emergency is under way. */
    public RoutePolicy routineLanes() {
        return new Callbacks() {
            @Override
            public void onExchangeBegin(Route route, Exchange exchange) {
                yieldTo();
            }
        };
    }

    /** Whether routine work would wait now. */
    public boolean emergencyUnderWay() {
        long now = System.nanoTime();
        return waitUntil(now) != now;
    }

    /** Routine exchanges' time spent waiting for emergencies, in seconds, since the hub started. */
    public double pausedSeconds() {
        return pausedNanos / 1e9;
    }

    void begun() {
        synchronized (gate) {
            underWay++;
            lastBegun = System.nanoTime();
        }
    }

    void ended() {
        synchronized (gate) {
            if (underWay > 0) {
                underWay--;
            }
            lastEnded = System.nanoTime();
            gate.notifyAll();
        }
    }

    /** Waits while an emergency is under way, at most maxPause (so never long at a shutdown either). */
    void yieldTo() {
        long start = System.nanoTime();
        if (maxPauseNanos <= 0 || waitUntil(start) == start) {
            return;
        }
        long deadline = start + maxPauseNanos;
        synchronized (gate) {
            while (true) {
                long now = System.nanoTime();
                long wait = Math.min(waitUntil(now) - now, deadline - now);
                if (wait <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(gate, wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            pausedNanos += System.nanoTime() - start;
        }
    }

    /** Until when (System.nanoTime) routine work waits as things stand at {@code now}: {@code now} when it need not. */
    private long waitUntil(long now) {
        long until = now;
        if (underWay > 0) {
            until = later(until, lastBegun + windowNanos);
        }
        return later(until, lastEnded + holdNanos);
    }

    private static long later(long a, long b) {
        return b - a > 0 ? b : a;
    }

    /** Every callback of a route policy, doing nothing. */
    private abstract static class Callbacks implements RoutePolicy {
        @Override
        public void onInit(Route route) {
        }

        @Override
        public void onRemove(Route route) {
        }

        @Override
        public void onStart(Route route) {
        }

        @Override
        public void onStop(Route route) {
        }

        @Override
        public void onSuspend(Route route) {
        }

        @Override
        public void onResume(Route route) {
        }

        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
        }
    }
}

package vn.quangninh.cphub.delivery;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.outbox.Lane;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.throttling.ThrottlingExceptionRoutePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's {@link ThrottlingExceptionRoutePolicy}, with its way back from "open" made safe for a sink with
 * several consumers. Camel's policy gives each opening a {@code java.util.Timer} of its own in one field; when
 * several consumers fail at once the circuit opens several times, the first timer's task cancels the latest
 * timer, finds the latest opening too recent, and no check is left: the circuit stayed open for good
 * (PartnerOutageIT, police back after 30 s and nothing delivered for 3 minutes). Here one check is pending per
 * circuit at a time, and it comes again while the circuit is open, so the policy half-opens once
 * {@code halfOpenAfter} has passed since its latest opening. A partner's routine lane half-opens only once its
 * emergency lane is closed and quiet, so when the partner is back the emergencies that waited go first.
 *
 * <p>A sink has several consumers, and Camel's policy lets all of them through once it half-opens: each would
 * spend an attempt of its referral on a partner that is most likely still down. Here a half-open circuit lets
 * exactly one referral through (the probe); a referral taken by another consumer while the circuit is not
 * closed waits, untried, until the probe has closed it (or becomes the next probe). While it waits its message
 * stays in delivery in its JMS transaction — the broker keeps it, a crash hands it back — and no attempt is
 * spent on it.
 *
 * <p>The probe spends no attempt either when it fails as the partner is still down: its referral goes back to its
 * queue (DeliveryFailure), so a long outage does not bring the referrals tried as probes to their DLQ. Here that
 * failure is still counted as one, so the circuit opens again.
 */
class PartnerCircuit extends ThrottlingExceptionRoutePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(PartnerCircuit.class);

    private static final String STATE_CLOSED = "closed";
    private static final String STATE_HALF_OPEN = "half opened";
    private static final String STATE_OPEN = "opened";
    /** Exchange property: this exchange is the probe of a half-open circuit. */
    static final String PROBE = "cphubCircuitProbe";

    private static final ScheduledExecutorService CHECKS = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "cphub-partner-circuits");
        thread.setDaemon(true);
        return thread;
    });

    private final String partner;
    private final Lane lane;
    private final int failureThreshold;
    private final long failureWindowMillis;
    private final long halfOpenAfterMillis;
    /** The partner's emergency-lane circuit, for its routine lane's; null for the emergency lane's own. */
    private final PartnerCircuit emergencyLane;
    private final AtomicBoolean checkPending = new AtomicBoolean();
    /** Guards {@link #probeInFlight}; consumers wait on it while the circuit is not closed. */
    private final Object gate = new Object();
    private boolean probeInFlight;

    PartnerCircuit(String partner, Lane lane, int failureThreshold, long failureWindowMillis, long halfOpenAfterMillis,
                   PartnerCircuit emergencyLane) {
        super(failureThreshold, failureWindowMillis, halfOpenAfterMillis, null);
        this.partner = partner;
        this.lane = lane;
        this.failureThreshold = failureThreshold;
        this.failureWindowMillis = failureWindowMillis;
        this.halfOpenAfterMillis = halfOpenAfterMillis;
        this.emergencyLane = emergencyLane;
    }

    /** When this lane last finished a delivery attempt (success or failure). */
    private volatile long lastAttemptAt;
    /** What the lane's last failed attempt met, for the log line that says the partner is down. */
    private volatile String lastFailure = "unknown";

    /** Whether this delivery attempt is the one a half-open circuit let through to learn if the partner is back. */
    static boolean isProbe(Exchange exchange) {
        return exchange.getProperty(PROBE, false, Boolean.class);
    }

    /** For the gauge operators graph: 0 closed, 1 half-open (a probe may go), 2 open (the partner is down). */
    int stateCode() {
        String state = getStateAsString();
        return STATE_CLOSED.equals(state) ? 0 : STATE_HALF_OPEN.equals(state) ? 1 : 2;
    }

    boolean isOpen() {
        return STATE_OPEN.equals(getStateAsString());
    }

    /**
     * Closed, and no attempt for a while: the lane has delivered what was ready (referrals waiting out a
     * redelivery delay come back on their own schedule).
     */
    boolean isClosedAndQuiet() {
        return STATE_CLOSED.equals(getStateAsString())
                && System.currentTimeMillis() - lastAttemptAt >= Math.min(1000, halfOpenAfterMillis);
    }

    /**
     * Lets a referral through to its partner when the circuit is closed, or when it is half-open and no probe is
     * under way (this one is the probe); otherwise waits. Stops waiting when the route or the hub stops (the
     * attempt then goes ahead, as on a closed circuit, so shutdown is never held up).
     */
    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        super.onExchangeBegin(route, exchange);
        synchronized (gate) {
            while (true) {
                String state = getStateAsString();
                if (STATE_CLOSED.equals(state) || stopping(route)) {
                    return;
                }
                if (STATE_HALF_OPEN.equals(state) && !probeInFlight) {
                    probeInFlight = true;
                    exchange.setProperty(PROBE, true);
                    return;
                }
                try {
                    gate.wait(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        if (exchange != null) {
            lastAttemptAt = System.currentTimeMillis();
        }
        Exchange counted = failedProbeAsFailure(exchange);
        if (counted != null && counted.getException() != null) {
            lastFailure = DeliveryFailedException.describe(counted.getException());
        }
        super.onExchangeDone(route, counted);
        if (exchange != null && isProbe(exchange)) {
            synchronized (gate) {
                probeInFlight = false;
                gate.notifyAll();
            }
        }
    }

    /**
     * A failed probe whose referral went back to its queue is handled (its transaction commits the move), and
     * Camel's policy counts only an exchange that ends with an exception as failed: it is shown a copy that does.
     */
    private static Exchange failedProbeAsFailure(Exchange exchange) {
        if (exchange == null || exchange.getException() != null || exchange.getProperty(HubHeaders.BACK_TO_QUEUE) == null) {
            return exchange;
        }
        Exchange failed = exchange.copy();
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        failed.setException(caught != null ? caught : new IllegalStateException("probe failed"));
        return failed;
    }

    /** Says once, by partner and lane, that the partner is down (several consumers may fail at once). */
    @Override
    protected void openCircuit(Route route) {
        boolean wasClosed = STATE_CLOSED.equals(getStateAsString()); // not again after each failed probe
        super.openCircuit(route);
        if (wasClosed) {
            // the last failure tells a partner's outage (HTTP 503, ConnectException) from the store's, whose
            // failures a delivery also meets once its POST is done (CannotCreateTransactionException, …)
            LOG.warn("Partner {} is down ({} lane): {} failed attempts within {} ms, the last {}. Its referrals wait in {} "
                    + "in priority order; one is tried every {} ms", partner, lane.name().toLowerCase(java.util.Locale.ROOT),
                    failureThreshold, failureWindowMillis, lastFailure, lane.queue(partner), halfOpenAfterMillis);
        }
    }

    @Override
    protected void halfOpenCircuit(Route route) {
        super.halfOpenCircuit(route);
        wakeWaiting();
    }

    @Override
    protected void closeCircuit(Route route) {
        boolean wasClosed = STATE_CLOSED.equals(getStateAsString());
        super.closeCircuit(route);
        if (!wasClosed) {
            LOG.info("Partner {} is back ({} lane): delivering from {} again", partner,
                    lane.name().toLowerCase(java.util.Locale.ROOT), lane.queue(partner));
        }
        wakeWaiting();
    }

    private void wakeWaiting() {
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    private boolean stopping(Route route) {
        CamelContext context = route.getCamelContext();
        ServiceStatus routeStatus = context.getRouteController().getRouteStatus(route.getRouteId());
        return isStoppingOrStopped() || context.isStopping() || context.isStopped()
                || routeStatus == null || routeStatus.isStopping() || routeStatus.isStopped();
    }

    @Override
    protected void addHalfOpenTimer(Route route) {
        if (checkPending.compareAndSet(false, true)) {
            schedule(route, halfOpenAfterMillis);
        }
    }

    private void schedule(Route route, long delayMillis) {
        CHECKS.schedule(() -> check(route), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void check(Route route) {
        if (isStoppingOrStopped()) {
            checkPending.set(false);
            return;
        }
        // the routine lane tries the partner again only once its emergency lane is closed and has delivered what
        // was ready: when the partner is back, the emergencies that waited go first
        if (emergencyLane == null || emergencyLane.isClosedAndQuiet()) {
            // no exchange: the policy only looks at its state, and half-opens when the time since opening is up
            onExchangeDone(route, null);
        }
        if (isOpen()) {
            schedule(route, Math.max(50, halfOpenAfterMillis / 10));
        } else {
            checkPending.set(false);
        }
    }
}

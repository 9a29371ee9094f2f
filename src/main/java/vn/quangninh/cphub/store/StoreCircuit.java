package vn.quangninh.cphub.store;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code storeCircuit}, the route policy of the routes that take the hub's own queues into the store (triage,
 * call records, camera alerts and episodes): while the store cannot take a commit, their consumers wait instead of
 * trying, so a store outage of any length spends none of the broker's delivery attempts on the messages waiting in
 * those queues. Without it every waiting incident was tried, rolled back and redelivered with back-off until its
 * last attempt (the twelfth, about an hour with the defaults) sent it to {@code cphub.dlq.broker}.
 *
 * <p>An exchange that fails on a store error (a {@link DataAccessException}, {@link TransactionException} or
 * {@link SQLException} among its causes, or the store writer's {@link GroupCommit.CommitTimeout}) makes the circuit
 * probe the store on its own thread: one update of the single row of {@code store_probe}, committed. A refused
 * write that the store answered (a constraint, such as another copy's claim) is not a store failure. If the probe
 * fails, the circuit opens: each consumer of these routes then waits before it takes its next message any further,
 * holding it untried in its JMS transaction as a partner's circuit does (the broker keeps it; a crash hands it
 * back), and the probe is repeated every {@code cphub.store.probe-interval} until a commit succeeds. Then they all
 * go on, the emergency lane's consumers among them. The messages that failed before the circuit opened spent one
 * attempt each, about one per consumer.
 *
 * <p>One circuit serves several routes: Camel stops it as a service with any of them (an operator stopping one
 * route), so it keeps no state in that service's status; it stops probing when the hub stops ({@link #close}).
 */
public class StoreCircuit extends RoutePolicySupport {

    private static final Logger LOG = LoggerFactory.getLogger(StoreCircuit.class);
    private static final String PROBE = "UPDATE store_probe SET probed_at = ? WHERE id = 1";

    private final DataSource dataSource;
    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;
    private final Duration interval;
    private final ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "cphub-store-circuit");
        thread.setDaemon(true);
        return thread;
    });
    /** A probe is under way or scheduled: further failures ask for none. */
    private final AtomicBoolean probing = new AtomicBoolean();
    /** Guards the consumers' wait; notified when the circuit closes. */
    private final Object gate = new Object();
    private volatile boolean open;
    private volatile boolean stopped;
    private volatile Instant openedAt;

    public StoreCircuit(DataSource dataSource, PlatformTransactionManager storeTransactionManager, Duration interval) {
        this.dataSource = dataSource;
        this.transactions = new TransactionTemplate(storeTransactionManager);
        this.jdbc = new JdbcTemplate(dataSource);
        this.interval = interval;
    }

    /** Whether the store is taken to be down: the routes' consumers wait. */
    public boolean isOpen() {
        return open;
    }

    /** Waits while the circuit is open; stops waiting when the route or the hub stops, so shutdown is never held up. */
    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        if (!open) {
            return;
        }
        synchronized (gate) {
            while (open && !stopping(route)) {
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
        if (!open && !stopped && isStoreFailure(failureOf(exchange)) && probing.compareAndSet(false, true)) {
            try {
                probes.execute(this::probeAfterFailure);
            } catch (RejectedExecutionException closing) {
                probing.set(false); // the hub is stopping
            }
        }
    }

    /** The exception an exchange failed with, also when its route's error handler handled it (and rolled back). */
    static Throwable failureOf(Exchange exchange) {
        Throwable failure = exchange.getException();
        return failure != null ? failure : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    /** Whether a failure may mean the store cannot take a commit (the probe decides). */
    static boolean isStoreFailure(Throwable failure) {
        // a refused write is the store answering, not failing
        Throwable cause = storeCauseOf(failure);
        return cause != null && !(cause instanceof DataIntegrityViolationException);
    }

    /** The first of a failure's causes that came from the store (or the store writer), null when none did. */
    static Throwable storeCauseOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessException || cause instanceof TransactionException || cause instanceof SQLException
                    || cause instanceof GroupCommit.CommitTimeout) {
                return cause;
            }
        }
        return null;
    }

    private void probeAfterFailure() {
        String failure = storeRefusesACommit();
        if (failure == null) {
            probing.set(false); // one exchange's failure, not the store's
            return;
        }
        openedAt = Instant.now();
        open = true;
        LOG.warn("The store does not take a commit ({}): triage, call records and camera alerts wait in their queues, "
                + "untried, until it does; trying it every {} s", failure, interval.toSeconds());
        scheduleProbe();
    }

    private void probeWhileOpen() {
        if (stopped) {
            return;
        }
        if (storeRefusesACommit() != null) {
            scheduleProbe();
            return;
        }
        synchronized (gate) {
            open = false;
            gate.notifyAll();
        }
        probing.set(false);
        LOG.info("The store takes commits again after {} s: triage, call records and camera alerts go on",
                Duration.between(openedAt, Instant.now()).toSeconds());
    }

    private void scheduleProbe() {
        try {
            probes.schedule(this::probeWhileOpen, interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // the hub is stopping: close() has let the waiting consumers go
        }
    }

    /**
     * Null when the store committed the probe's update, else the failure's class. A failed probe also has the pool
     * replace every connection (idle ones now, those in use when they come back): an embedded H2 store that closed
     * itself stays closed while any session to it is open, so the idle connections the waiting routes no longer use
     * kept it closed, and a probe on a new connection met "The database has been closed" for about a minute after
     * its disk had room again (StoreDiskFullIT).
     */
    private String storeRefusesACommit() {
        try {
            transactions.executeWithoutResult(status -> jdbc.update(PROBE, Timestamp.from(Instant.now())));
            return null;
        } catch (RuntimeException e) {
            replaceConnections();
            return e.getClass().getSimpleName();
        }
    }

    private void replaceConnections() {
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                HikariPoolMXBean pool = dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
                if (pool != null) {
                    pool.softEvictConnections();
                }
            }
        } catch (SQLException notAPool) {
            LOG.debug("Store connections not replaced: {}", notAPool.getClass().getSimpleName());
        }
    }

    private static boolean stopping(Route route) {
        CamelContext context = route.getCamelContext();
        ServiceStatus routeStatus = context.getRouteController().getRouteStatus(route.getRouteId());
        return context.isStopping() || context.isStopped()
                || routeStatus == null || routeStatus.isStopping() || routeStatus.isStopped();
    }

    /** Lets waiting consumers go and stops probing: the hub is stopping (Spring calls it, not Camel). */
    public void close() {
        stopped = true;
        probes.shutdownNow();
        synchronized (gate) {
            open = false;
            gate.notifyAll();
        }
    }
}

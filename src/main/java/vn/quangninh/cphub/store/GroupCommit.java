package vn.quangninh.cphub.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.Policy;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A route's store steps for one message, committed together with those of other messages that arrive at the
 * same time: the {@code storeTransaction} policy. Each message's steps still either all happen or none — they
 * run under a savepoint of the shared transaction, and a message whose steps fail is rolled back to it and
 * gets its exception, the others are not touched — and the route goes on only once the commit that holds them
 * is done. One commit for many messages instead of one each: the store writes every commit to disk (H2 under
 * one lock), and per-message commits were what triage and the sinks waited on most. The steps run on one of
 * {@code writers} threads, which take up to {@code batch} waiting messages at a time; they must touch the store
 * only (no JMS: the route's JMS transaction stays on the route's own thread). The writes they do are
 * repeatable, so a store commit followed by a JMS rollback (and a redelivery) does no harm.
 *
 * <p>A routine writer may wait {@code linger} for more messages before it commits a batch that is not full:
 * on H2 a commit rewrites every B-tree page the batch touched, so fewer, larger commits cost less CPU. It stops
 * waiting as soon as every thread that has handed it work in the last second is waiting for a commit: nothing
 * more can come then, and a linger would only hold the routes' consumers (which would cap a lane at its
 * consumers per linger).
 *
 * <p>The emergency lane has its own writer: routes that consume an urgent queue ({@code *.urgent}) hand their
 * steps to it, so an emergency never waits behind a batch of routine work, nor for a linger.
 *
 * <p>A write nothing has to wait for ({@link #defer}) joins the next batch on the routine writer: one commit
 * fewer per message (on H2 every commit writes a chunk to disk).
 *
 * <p>Each lane's batches are measured ({@code lane} routine or urgent): {@code cphub.store.batches}, how long a
 * batch's steps and its commit took ({@code outcome} committed or failed), and {@code cphub.store.batch.size}, how
 * many messages and deferred writes it held. Their counts over the incidents a hub took say how many store commits
 * an incident costs, and the size what a linger gathers.
 */
public class GroupCommit extends ServiceSupport implements Policy {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /** How long a route waits for its commit before it fails (and its message is redelivered). */
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A thread that handed the routine writers work this recently may hand them more: a linger waits for it. */
    static final Duration SENDER_ACTIVE = Duration.ofSeconds(1);
    /** How often a lingering writer looks again at who may still come, if nothing arrives meanwhile. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private record Work(Processor steps, Exchange exchange, CompletableFuture<Void> done) {
    }

    /** One lane's batches: how long each took (steps and commit) and how many works it held. */
    private record LaneMeters(Timer committed, Timer failed, DistributionSummary size) {

        static LaneMeters of(MeterRegistry meters, String lane) {
            return new LaneMeters(batches(meters, lane, "committed"), batches(meters, lane, "failed"),
                    DistributionSummary.builder("cphub.store.batch.size")
                            .description("Messages (and deferred writes) in one store commit of a store writer")
                            .tag("lane", lane).register(meters));
        }

        private static Timer batches(MeterRegistry meters, String lane, String outcome) {
            return Timer.builder("cphub.store.batches")
                    .description("A store writer's batches: the steps of the messages it took and their one commit")
                    .tag("lane", lane).tag("outcome", outcome).register(meters);
        }
    }

    private final TransactionTemplate transactions;
    private final int writers;
    private final int batch;
    private final long lingerNanos;
    private final long senderActiveNanos;
    private final BlockingQueue<Work> waiting = new LinkedBlockingQueue<>();
    private final BlockingQueue<Work> urgent = new LinkedBlockingQueue<>();
    /** the threads that handed the routine writers work, and when they last did */
    private final Map<Thread, Long> routineSenders = new ConcurrentHashMap<>();
    /** of them, those waiting for their commit now */
    private final AtomicInteger routineSendersWaiting = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private final LaneMeters routineMeters;
    private final LaneMeters urgentMeters;
    private volatile boolean running;

    /**
     * @param linger how long a routine writer waits for more messages before it commits a batch that is not full
     *               (zero: it commits what is waiting at once); the emergency writer never waits
     */
    public GroupCommit(PlatformTransactionManager store, int writers, int batch, Duration linger, MeterRegistry meters) {
        this(store, writers, batch, linger, SENDER_ACTIVE, meters);
    }

    /** @param senderActive how long after handing the writers work a thread counts as one that may hand them more */
    GroupCommit(PlatformTransactionManager store, int writers, int batch, Duration linger, Duration senderActive,
                MeterRegistry meters) {
        this.routineMeters = LaneMeters.of(meters, "routine");
        this.urgentMeters = LaneMeters.of(meters, "urgent");
        this.senderActiveNanos = senderActive.toNanos();
        this.transactions = new TransactionTemplate(store);
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.writers = writers;
        this.batch = batch;
        this.lingerNanos = linger.toNanos();
    }

    /**
     * A store write nothing waits for, done in the routine writer's next transaction under a savepoint of its
     * own; its failure, or the batch's, is logged and the write is not retried — for writes whose loss is
     * harmless (the dedupe key of a source event already triaged).
     */
    public void defer(String what, Runnable write) {
        if (!running) {
            LOG.warn("Store write not done, the store writers have stopped: {}", what);
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        done.whenComplete((ok, failed) -> {
            if (failed != null) {
                LOG.warn("Store write not done ({}): {}", failed.getClass().getSimpleName(), what);
            }
        });
        waiting.add(new Work(exchange -> write.run(), null, done));
    }

    @Override
    public void beforeWrap(Route route, NamedNode definition) {
    }

    @Override
    public Processor wrap(Route route, Processor steps) {
        boolean routine = !isUrgentLane(route);
        BlockingQueue<Work> lane = routine ? waiting : urgent;
        // who may still come only matters to a writer that lingers (which also forgets the threads that stopped)
        boolean counted = routine && lingerNanos > 0;
        return exchange -> {
            Work work = new Work(steps, exchange, new CompletableFuture<>());
            if (counted) {
                routineSenders.put(Thread.currentThread(), System.nanoTime());
                routineSendersWaiting.incrementAndGet();
            }
            try {
                lane.put(work);
                work.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException failed) {
                exchange.setException(failed.getCause());
            } catch (TimeoutException stuck) {
                exchange.setException(new CommitTimeout());
            } finally {
                if (counted) {
                    routineSendersWaiting.decrementAndGet();
                }
            }
        };
    }

    /** A route waited longer than {@link #WAIT} for its commit: the store hangs (StoreCircuit probes it). */
    static final class CommitTimeout extends IllegalStateException {
        CommitTimeout() {
            super("the store did not commit within " + WAIT.toSeconds() + " s");
        }
    }

    /** The lane is the queue the route consumes: cphub.intake.urgent, cphub.deliver.&lt;partner&gt;.urgent. */
    static boolean isUrgentLane(Route route) {
        return route != null && route.getEndpoint() != null && route.getEndpoint().getEndpointUri().contains(".urgent");
    }

    @Override
    protected void doStart() {
        running = true;
        for (int i = 0; i < writers; i++) {
            start("cphub-store-writer-" + i, waiting, lingerNanos, routineMeters);
        }
        start("cphub-store-writer-urgent", urgent, 0, urgentMeters);
    }

    private void start(String name, BlockingQueue<Work> lane, long linger, LaneMeters meters) {
        Thread writer = new Thread(() -> write(lane, linger, meters), name);
        writer.setDaemon(true);
        writer.start();
        threads.add(writer);
    }

    @Override
    protected void doStop() {
        running = false;
        threads.forEach(Thread::interrupt);
        threads.clear();
        // what no writer will take any more fails now (and is redelivered by the broker), not after the wait
        List<Work> left = new ArrayList<>();
        waiting.drainTo(left);
        urgent.drainTo(left);
        fail(left);
    }

    /** What no writer will commit any more fails now (its route rolls back and the broker redelivers it). */
    private static void fail(List<Work> works) {
        works.forEach(w -> w.done().completeExceptionally(new IllegalStateException("the store writers have stopped")));
    }

    private void write(BlockingQueue<Work> lane, long linger, LaneMeters meters) {
        List<Work> works = new ArrayList<>(batch);
        while (running) {
            try {
                Work first = lane.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                works.add(first);
                lane.drainTo(works, batch - 1);
                if (linger > 0) {
                    gatherMore(lane, works, System.nanoTime() + linger);
                }
                commit(works, meters);
            } catch (InterruptedException stopping) {
                // stopped while it gathered a batch: what it holds fails now and is redelivered, as in doStop
                fail(works);
                Thread.currentThread().interrupt();
                return;
            } finally {
                works.clear();
            }
        }
    }

    /**
     * Adds what arrives until the batch is full, the deadline has passed, or every thread that has lately handed
     * the writers work is waiting for a commit: fewer, larger commits, and no consumer held for nothing.
     */
    private void gatherMore(BlockingQueue<Work> lane, List<Work> works, long deadline) throws InterruptedException {
        long left;
        while (works.size() < batch && (left = deadline - System.nanoTime()) > 0 && someSenderMayCome()) {
            // in slices, so that a sender that has stopped sending is noticed soon after it stops counting
            Work next = lane.poll(Math.min(left, RECHECK_NANOS), TimeUnit.NANOSECONDS);
            if (next != null) {
                works.add(next);
                lane.drainTo(works, batch - works.size());
            }
        }
        lane.drainTo(works, batch - works.size()); // what the last sender brought as the wait ended
    }

    /** Whether a thread that has lately handed the routine writers work (within senderActive) is not waiting for a commit. */
    private boolean someSenderMayCome() {
        long now = System.nanoTime();
        routineSenders.values().removeIf(last -> now - last > senderActiveNanos);
        return routineSendersWaiting.get() < routineSenders.size();
    }

    /**
     * Whether the steps hit a store failure that the route's error handler handled (the last attempt of a delivery
     * goes to its DLQ so). Its savepoint is rolled back all the same, as the store may have ended the whole
     * transaction with it. H2 rolls back the whole transaction when it breaks a deadlock, the steps of the batch's
     * earlier messages with it; releasing the savepoint then says nothing, and the writer went on in a new
     * transaction and acknowledged those messages with their steps not in the store. Rolling it back fails there,
     * which fails the batch: every message of it is redelivered. PostgreSQL refuses every statement after an error
     * until the savepoint is rolled back: releasing it failed, and so the whole batch, where rolling it back lets the
     * other messages commit.
     */
    private static boolean storeFailureHandled(Exchange exchange, Object caughtBefore) {
        Object caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT);
        // a refused write counts too: PostgreSQL refuses the transaction's statements after it all the same
        return caught != caughtBefore && caught instanceof Throwable failure && StoreCircuit.storeCauseOf(failure) != null;
    }

    private void commit(List<Work> works, LaneMeters meters) {
        List<Exception> failures = new ArrayList<>(works.size());
        meters.size().record(works.size());
        long started = System.nanoTime();
        try {
            transactions.executeWithoutResult(status -> {
                for (Work work : works) {
                    Object savepoint = status.createSavepoint();
                    Exception failure = null;
                    Exchange exchange = work.exchange();
                    Object caughtBefore = exchange == null ? null : exchange.getProperty(Exchange.EXCEPTION_CAUGHT);
                    try {
                        work.steps().process(exchange);
                        failure = exchange == null ? null : exchange.getException();
                    } catch (Exception e) {
                        failure = e;
                    }
                    // failed; or failed and handled by the route's error handler, which then marks it for rollback; or
                    // a store failure that the route's error handler handled and went on from
                    if (failure != null || exchange != null && (exchange.isRollbackOnly() || exchange.isRollbackOnlyLast()
                            || storeFailureHandled(exchange, caughtBefore))) {
                        status.rollbackToSavepoint(savepoint);
                    } else {
                        status.releaseSavepoint(savepoint);
                    }
                    failures.add(failure);
                }
            });
        } catch (RuntimeException commitFailed) {
            meters.failed().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            // nothing of the batch is in the store: every message fails and is redelivered
            LOG.warn("Store commit of {} message(s) failed: {}", works.size(), commitFailed.getClass().getSimpleName());
            works.forEach(w -> w.done().completeExceptionally(commitFailed));
            return;
        }
        meters.committed().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        for (int i = 0; i < works.size(); i++) {
            Exception failure = failures.get(i);
            if (failure == null) {
                works.get(i).done().complete(null);
            } else {
                if (works.get(i).exchange() != null) {
                    works.get(i).exchange().setException(null);
                }
                works.get(i).done().completeExceptionally(failure);
            }
        }
    }
}

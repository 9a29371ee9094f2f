package vn.quangninh.cphub.store;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import vn.quangninh.cphub.SharedStoreHubs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The {@code storeTransaction} policy on a real H2 store (PostgreSQL for one test), in routes of a real Camel
 * context: messages that arrive together share one commit, a routine writer with a linger waits for more work until
 * its batch is full or every thread that has lately handed it work is waiting, the emergency writer never waits, a
 * message whose steps fail is rolled back alone, and no message is acknowledged whose steps the store rolled back.
 */
class GroupCommitTest {

    private static final Duration LONG_LINGER = Duration.ofSeconds(60);
    /** how long a thread that handed the writer work counts as one that may hand it more: the whole test */
    private static final Duration SENDERS_ACTIVE = Duration.ofMinutes(5);

    private DataSource store = new DriverManagerDataSource("jdbc:h2:mem:group-commit-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
    private JdbcTemplate jdbc = new JdbcTemplate(store);
    /** the store transaction each message's steps ran in (its connection holder, one per transaction) */
    private final Set<Object> transactions = ConcurrentHashMap.newKeySet();
    private GroupCommit groupCommit;
    private final MeterRegistry meters = new SimpleMeterRegistry();
    /** this test's routine writer (other tests' hubs in this JVM have writers of the same name) */
    private Thread routineWriter;
    private CamelContext camel;

    private ProducerTemplate start(int batch, Duration linger) throws Exception {
        return start(batch, linger, SENDERS_ACTIVE);
    }

    private ProducerTemplate start(int batch, Duration linger, Duration sendersActive) throws Exception {
        jdbc.execute("create table step (message varchar(16) primary key)");
        groupCommit = new GroupCommit(new DataSourceTransactionManager(store), 1, batch, linger, sendersActive, meters);
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        groupCommit.start();
        routineWriter = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("cphub-store-writer-0") && !before.contains(t)).findFirst().orElseThrow();
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:cphub.intake").policy(groupCommit).process(this::step);
                from("direct:cphub.intake.urgent").policy(groupCommit).process(this::step);
                // as a delivery's last attempt: its error handler handles the failure (the DLQ) and the route goes on
                from("direct:cphub.handled").onException(Exception.class).handled(true).end()
                        .policy(groupCommit).process(this::step);
            }

            private void step(org.apache.camel.Exchange exchange) throws Exception {
                transactions.add(TransactionSynchronizationManager.getResource(store));
                String message = exchange.getMessage().getBody(String.class);
                jdbc.update("insert into step (message) values (?)", message);
                if (message.startsWith("bad")) {
                    throw new IllegalArgumentException("steps of " + message + " fail");
                }
                if (message.startsWith("deadlock")) {
                    deadlockWithAnotherWriter();
                }
                if (message.startsWith("again-of-")) {
                    jdbc.update("insert into step (message) values (?)", message.substring("again-of-".length()));
                }
            }
        });
        camel.start();
        return camel.createProducerTemplate();
    }

    /**
     * One message from a thread of its own, committed; that thread then counts as a sender that may bring more
     * (it is not waiting), so the writer lingers for the messages that follow until their batch is full.
     */
    private void anotherSenderIsBusyElsewhere(ProducerTemplate producer) throws Exception {
        ExecutorService elsewhere = Executors.newSingleThreadExecutor();
        try {
            elsewhere.submit(() -> producer.requestBody("direct:cphub.intake", "elsewhere")).get(20, TimeUnit.SECONDS);
        } finally {
            elsewhere.shutdown();
        }
        transactions.clear();
        jdbc.update("delete from step");
    }

    /** Another store transaction, which holds row 2 of {@code held} (see {@link #deadlockWithAnotherWriter}). */
    private java.sql.Connection anotherWriter;

    /**
     * On the writer's thread, in the batch's transaction: takes row 1 of {@code held}; the other writer, which holds
     * row 2, asks for row 1; then the batch asks for row 2. H2 breaks the deadlock by rolling back the batch's whole
     * transaction, and the step fails.
     */
    private void deadlockWithAnotherWriter() throws Exception {
        jdbc.update("update held set v = v + 1 where id = 1");
        CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> {
            try (var update = anotherWriter.prepareStatement("update held set v = v + 10 where id = 1")) {
                return update.executeUpdate();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) from information_schema.sessions where blocker_id is not null", Integer.class) > 0);
        try {
            jdbc.update("update held set v = v + 1 where id = 2");
        } finally {
            // once the batch's transaction is gone the other writer has row 1; it lets both go
            other.whenComplete((updated, failed) -> {
                try {
                    anotherWriter.rollback();
                } catch (java.sql.SQLException ignored) {
                    // closed with the test
                }
            });
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (anotherWriter != null) {
            anotherWriter.close();
        }
        if (camel != null) {
            camel.stop();
        }
        if (groupCommit != null) {
            groupCommit.stop();
        }
    }

    @Test
    void aLingeringWriterCommitsAFullBatchAtOnceInOneTransaction() throws Exception {
        ProducerTemplate producer = start(4, LONG_LINGER);
        anotherSenderIsBusyElsewhere(producer);
        List<CompletableFuture<Object>> sent = IntStream.range(0, 4)
                .mapToObj(i -> producer.asyncRequestBody("direct:cphub.intake", "routine-" + i)).toList();
        for (CompletableFuture<Object> done : sent) {
            // the linger is 60 s: only a full batch ends it this soon
            done.get(20, TimeUnit.SECONDS);
        }
        assertThat(transactions).as("four messages, one store transaction").hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from step", Integer.class)).isEqualTo(4);
        // as operators' Prometheus reads the batches: the one before (another sender's) and this one of four
        assertThat(meters.get("cphub.store.batch.size").tag("lane", "routine").summary().max()).isEqualTo(4);
        assertThat(meters.get("cphub.store.batch.size").tag("lane", "routine").summary().totalAmount()).isEqualTo(5);
        assertThat(meters.get("cphub.store.batches").tags("lane", "routine", "outcome", "committed").timer().count())
                .isEqualTo(2);
        assertThat(meters.get("cphub.store.batches").tags("lane", "urgent", "outcome", "committed").timer().count()).isZero();
    }

    @Test
    void theEmergencyWriterNeverLingers() throws Exception {
        ProducerTemplate producer = start(64, LONG_LINGER);
        producer.asyncRequestBody("direct:cphub.intake.urgent", "urgent-1").get(20, TimeUnit.SECONDS);
        assertThat(jdbc.queryForObject("select count(*) from step where message = 'urgent-1'", Integer.class)).isEqualTo(1);
        assertThat(meters.get("cphub.store.batches").tags("lane", "urgent", "outcome", "committed").timer().count()).isEqualTo(1);
        assertThat(meters.get("cphub.store.batch.size").tag("lane", "urgent").summary().totalAmount()).isEqualTo(1);
    }

    @Test
    void aMessageWhoseStepsFailIsRolledBackAloneInALingeredBatch() throws Exception {
        ProducerTemplate producer = start(3, LONG_LINGER);
        anotherSenderIsBusyElsewhere(producer);
        CompletableFuture<Object> good1 = producer.asyncRequestBody("direct:cphub.intake", "good-1");
        CompletableFuture<Object> bad = producer.asyncRequestBody("direct:cphub.intake", "bad-1");
        CompletableFuture<Object> good2 = producer.asyncRequestBody("direct:cphub.intake", "good-2");
        good1.get(20, TimeUnit.SECONDS);
        good2.get(20, TimeUnit.SECONDS);
        assertThatThrownBy(() -> bad.get(20, TimeUnit.SECONDS)).hasRootCauseMessage("steps of bad-1 fail");
        assertThat(transactions).as("one batch").hasSize(1);
        assertThat(jdbc.queryForList("select message from step order by message", String.class)).containsExactly("good-1", "good-2");
    }

    /**
     * A message's steps lose a deadlock, and its route handles the failure and goes on (a delivery's last attempt
     * goes to its DLQ so). H2 has rolled back the batch's whole transaction with it, the steps of the message before
     * it too: that message must fail (its broker redelivers it), not be acknowledged with its steps not in the store.
     */
    @Test
    void onH2AMessageWhoseStepsADeadlockRolledBackIsNotAcknowledged() throws Exception {
        ProducerTemplate producer = start(2, LONG_LINGER);
        jdbc.execute("create table held (id int primary key, v int)");
        jdbc.update("insert into held values (1, 0), (2, 0)");
        anotherWriter = store.getConnection();
        anotherWriter.setAutoCommit(false);
        try (var update = anotherWriter.prepareStatement("update held set v = v + 10 where id = 2")) {
            update.executeUpdate();
        }
        CompletableFuture<Object> first = firstOfABatchOfTwo(producer);
        CompletableFuture<Object> deadlocked = producer.asyncRequestBody("direct:cphub.handled", "deadlock-1");

        assertThatThrownBy(() -> first.get(20, TimeUnit.SECONDS)).as("good-1, its steps rolled back with the batch")
                .hasRootCauseInstanceOf(java.sql.SQLException.class);
        assertThatThrownBy(() -> deadlocked.get(20, TimeUnit.SECONDS)).as("the whole batch is redelivered");
        assertThat(jdbc.queryForList("select message from step", String.class)).isEmpty();
    }

    /**
     * On PostgreSQL the last message's steps fail (a duplicate key) and its route handles it. PostgreSQL refuses the
     * transaction's statements after the error until that message's savepoint is rolled back: the message before it
     * is committed and acknowledged, not redelivered with the failed one.
     */
    @Test
    void onPostgresTheMessagesBeforeAStoreFailureTheRouteHandledAreCommitted() throws Exception {
        String schema = "cphub_group_commit";
        try (java.sql.Connection admin = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test",
                SharedStoreHubs.USER, "")) {
            admin.createStatement().execute("drop schema if exists " + schema + " cascade; create schema " + schema);
        }
        store = new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema, SharedStoreHubs.USER, "");
        jdbc = new JdbcTemplate(store);
        ProducerTemplate producer = start(2, LONG_LINGER);
        CompletableFuture<Object> first = firstOfABatchOfTwo(producer);
        CompletableFuture<Object> again = producer.asyncRequestBody("direct:cphub.handled", "again-of-good-1");

        assertThat(first.get(20, TimeUnit.SECONDS)).as("good-1, acknowledged").isEqualTo("good-1");
        again.get(20, TimeUnit.SECONDS);
        assertThat(transactions).as("one batch").hasSize(1);
        assertThat(jdbc.queryForList("select message from step", String.class)).as("good-1 in the store").containsExactly("good-1");
    }

    /** good-1, sent: the routine writer holds it and waits for one more, so it is the first of its batch of two. */
    private CompletableFuture<Object> firstOfABatchOfTwo(ProducerTemplate producer) throws Exception {
        anotherSenderIsBusyElsewhere(producer);
        CompletableFuture<Object> first = producer.asyncRequestBody("direct:cphub.intake", "good-1");
        await().atMost(Duration.ofSeconds(20)).until(this::theRoutineWriterGathers);
        return first;
    }

    @Test
    void stoppedWhileItLingersTheWriterFailsWhatItHoldsAtOnce() throws Exception {
        ProducerTemplate producer = start(64, LONG_LINGER);
        anotherSenderIsBusyElsewhere(producer);
        CompletableFuture<Object> held = producer.asyncRequestBody("direct:cphub.intake", "held-1");
        await().atMost(Duration.ofSeconds(20)).until(this::theRoutineWriterGathers);
        groupCommit.stop();
        // not after the route's 60 s wait: the message fails now (in the hub its broker redelivers it)
        assertThatThrownBy(() -> held.get(20, TimeUnit.SECONDS)).hasRootCauseMessage("the store writers have stopped");
        assertThat(jdbc.queryForObject("select count(*) from step", Integer.class)).isZero();
    }

    /** it holds a message and waits for more (only the one sent here can be in its hands) */
    private boolean theRoutineWriterGathers() {
        return Arrays.stream(routineWriter.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals("gatherMore"));
    }

    @Test
    void aWriterStopsLingeringOnceEverySenderIsWaiting() throws Exception {
        // the hub's own: a sender that has finished counts as one that may come for a second after its last message
        ProducerTemplate producer = start(64, LONG_LINGER, GroupCommit.SENDER_ACTIVE);
        ExecutorService senders = Executors.newFixedThreadPool(3);
        try {
            // three senders, five messages each, one after the other: a batch of 64 never fills, and with the linger
            // of 60 s alone every commit would wait a minute; the senders all waiting is what ends each wait
            List<Future<?>> sent = IntStream.range(0, 3).<Future<?>>mapToObj(sender -> senders.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    producer.requestBody("direct:cphub.intake", "sender-" + sender + "-" + i);
                }
            })).toList();
            for (Future<?> done : sent) {
                done.get(20, TimeUnit.SECONDS);
            }
            assertThat(jdbc.queryForObject("select count(*) from step", Integer.class)).isEqualTo(15);
            assertThat(transactions).as("messages that waited for each other share commits").hasSizeLessThan(15);
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void withoutALingerAMessageAloneIsCommittedAtOnce() throws Exception {
        ProducerTemplate producer = start(64, Duration.ZERO);
        producer.requestBody("direct:cphub.intake", "alone");
        assertThatThrownBy(() -> producer.requestBody("direct:cphub.intake", "bad-alone"))
                .isInstanceOf(CamelExecutionException.class).hasRootCauseMessage("steps of bad-alone fail");
        assertThat(jdbc.queryForList("select message from step", String.class)).containsExactly("alone");
    }
}

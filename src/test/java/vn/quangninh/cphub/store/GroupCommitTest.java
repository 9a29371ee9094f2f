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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The {@code storeTransaction} policy on a real H2 store, in routes of a real Camel context: messages that
 * arrive together share one commit, a routine writer with a linger waits for more work until its batch is full
 * or every thread that has lately handed it work is waiting, the emergency writer never waits, and a message
 * whose steps fail is rolled back alone.
 */
class GroupCommitTest {

    private static final Duration LONG_LINGER = Duration.ofSeconds(60);
    /** how long a thread that handed the writer work counts as one that may hand it more: the whole test */
    private static final Duration SENDERS_ACTIVE = Duration.ofMinutes(5);

    private final DataSource store = new DriverManagerDataSource("jdbc:h2:mem:group-commit-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
    private final JdbcTemplate jdbc = new JdbcTemplate(store);
    /** the store transaction each message's steps ran in (its connection holder, one per transaction) */
    private final Set<Object> transactions = ConcurrentHashMap.newKeySet();
    private GroupCommit groupCommit;
    /** this test's routine writer (other tests' hubs in this JVM have writers of the same name) */
    private Thread routineWriter;
    private CamelContext camel;

    private ProducerTemplate start(int batch, Duration linger) throws Exception {
        return start(batch, linger, SENDERS_ACTIVE);
    }

    private ProducerTemplate start(int batch, Duration linger, Duration sendersActive) throws Exception {
        jdbc.execute("create table step (message varchar(16) primary key)");
        groupCommit = new GroupCommit(new DataSourceTransactionManager(store), 1, batch, linger, sendersActive);
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
            }

            private void step(org.apache.camel.Exchange exchange) {
                transactions.add(TransactionSynchronizationManager.getResource(store));
                String message = exchange.getMessage().getBody(String.class);
                jdbc.update("insert into step (message) values (?)", message);
                if (message.startsWith("bad")) {
                    throw new IllegalArgumentException("steps of " + message + " fail");
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

    @AfterEach
    void stop() {
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
    }

    @Test
    void theEmergencyWriterNeverLingers() throws Exception {
        ProducerTemplate producer = start(64, LONG_LINGER);
        producer.asyncRequestBody("direct:cphub.intake.urgent", "urgent-1").get(20, TimeUnit.SECONDS);
        assertThat(jdbc.queryForObject("select count(*) from step where message = 'urgent-1'", Integer.class)).isEqualTo(1);
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

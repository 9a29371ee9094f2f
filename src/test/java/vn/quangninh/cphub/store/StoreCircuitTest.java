package vn.quangninh.cphub.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.CannotCreateTransactionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code storeCircuit} route policy on a real H2 store, in a route of a real Camel context whose error handler
 * handles its failures as the hub's transacted routes do. The store "takes no commit" while the probe's table is
 * gone (its update fails as a commit to an unreachable store would): a store failure then holds the route's next
 * messages before their steps run, until the probe's commit is taken again; a failure that is not the store's, or
 * a store that still takes commits, holds nothing.
 */
class StoreCircuitTest {

    private static final Duration PROBE_INTERVAL = Duration.ofMillis(200);

    private final DataSource store = new DriverManagerDataSource("jdbc:h2:mem:store-circuit-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
    private final JdbcTemplate jdbc = new JdbcTemplate(store);
    private final StoreCircuit circuit = new StoreCircuit(store, new DataSourceTransactionManager(store), PROBE_INTERVAL);
    /** how many messages' steps ran (a held message's did not) */
    private final AtomicInteger stepsRun = new AtomicInteger();
    private CamelContext camel;
    private ProducerTemplate producer;

    @BeforeEach
    void startRoute() throws Exception {
        createProbeTable();
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // as routes/errors-transacted.camel.yaml: handled (the JMS transaction is rolled back)
                onException(Exception.class).handled(true);
                from("direct:triage").routePolicy(circuit).process(exchange -> {
                    stepsRun.incrementAndGet();
                    String failure = exchange.getMessage().getBody(String.class);
                    if ("store".equals(failure)) {
                        throw new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
                                new SQLTransientConnectionException("Connection is not available, request timed out after 5000ms"));
                    }
                    if ("content".equals(failure)) {
                        throw new IllegalArgumentException("a field the steps cannot read");
                    }
                });
            }
        });
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        circuit.close();
        camel.stop();
    }

    @Test
    void aStoreThatTakesNoCommitHoldsTheNextMessagesUntilItDoes() throws Exception {
        dropProbeTable(); // the store takes no commit from now on
        producer.sendBody("direct:triage", "store");
        await().atMost(Duration.ofSeconds(10)).until(circuit::isOpen);

        CompletableFuture<Void> next = CompletableFuture.runAsync(() -> producer.sendBody("direct:triage", "a good incident"));
        // held before its steps, for as long as the store takes no commit (several probes)
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> !next.isDone() && circuit.isOpen());
        assertThat(stepsRun).as("only the message that met the failure ran its steps").hasValue(1);

        createProbeTable(); // the store is back
        next.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(circuit.isOpen()).isFalse();
        assertThat(stepsRun).as("the held message went on once the store took the probe's commit").hasValue(2);
    }

    @Test
    void aStoreFailureWhileTheStoreTakesCommitsHoldsNothing() throws Exception {
        producer.sendBody("direct:triage", "store");
        // the probe's commit is taken: one message's failure, not the store's
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> !circuit.isOpen());
        producer.sendBody("direct:triage", "a good incident");
        assertThat(stepsRun).hasValue(2);
    }

    @Test
    void aFailureThatIsNotTheStoresProbesNothing() throws Exception {
        dropProbeTable(); // a probe would fail and open the circuit
        producer.sendBody("direct:triage", "content");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> !circuit.isOpen());
        producer.sendBody("direct:triage", "a good incident");
        assertThat(stepsRun).hasValue(2);
    }

    @Test
    void whichFailuresMayMeanTheStoreIsDown() {
        assertThat(StoreCircuit.isStoreFailure(new CannotCreateTransactionException("no connection"))).isTrue();
        assertThat(StoreCircuit.isStoreFailure(new IllegalStateException("wrapped", new DataAccessResourceFailureException("closed")))).isTrue();
        assertThat(StoreCircuit.isStoreFailure(new RuntimeException(new java.sql.SQLException("connection reset", "08006")))).isTrue();
        assertThat(StoreCircuit.isStoreFailure(new GroupCommit.CommitTimeout())).isTrue();
        // the store answered: another copy's claim, a constraint
        assertThat(StoreCircuit.isStoreFailure(new RuntimeException("another copy in triage", new DuplicateKeyException("claimed")))).isFalse();
        assertThat(StoreCircuit.isStoreFailure(new IllegalArgumentException("bad field"))).isFalse();
        assertThat(StoreCircuit.isStoreFailure(null)).isFalse();
    }

    /** The hub's own migration: the probe's table and its one row. */
    private void createProbeTable() throws IOException {
        try (InputStream migration = getClass().getResourceAsStream("/db/migration/V17__store_probe.sql")) {
            String sql = new String(migration.readAllBytes(), StandardCharsets.UTF_8);
            for (String statement : sql.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!statement.isBlank()) {
                    jdbc.execute(statement);
                }
            }
        }
    }

    private void dropProbeTable() {
        jdbc.execute("drop table store_probe");
    }
}

package vn.quangninh.cphub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import vn.quangninh.testsupport.MovedTime;

/**
 * Hub instances in this JVM that share one store — a PostgreSQL schema on 127.0.0.1:5432 (trust auth,
 * database {@code test}) — each with its own embedded broker, data folder, ports and MBean names: for the
 * tests of what must outlive a hub (timers, open episodes). Settings go in as command-line arguments, so
 * they win over application.yaml as an operator's would.
 */
public final class SharedStoreHubs {

    public static final String USER = System.getenv().getOrDefault("CPHUB_TEST_PG_USER", "postgres");

    /**
     * Connections each test hub keeps to PostgreSQL, instead of the shipped 40, which Hikari opens at once: the unit
     * tests run in two JVMs, and two hubs of {@code ClockInstancesTest} beside {@code PostgresStoreTest}'s one took
     * 120 of the server's 100 ("FATAL: sorry, too many clients already"; README: the pool times the hubs must stay
     * under {@code max_connections}). Enough for the few reports a test sends.
     */
    public static final String POOL_SIZE = "12";

    private final String schema;

    public SharedStoreHubs(String schema) {
        this.schema = schema;
    }

    /** Drops the schema, so a run starts from an empty store. */
    public SharedStoreHubs fresh() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", USER, "")) {
            c.createStatement().execute("drop schema if exists " + schema + " cascade");
        }
        return this;
    }

    public Connection connection() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema, USER, "");
    }

    /** Starts hub {@code name} on the shared store, with {@code settings} added (partners' URLs, timings). */
    public ConfigurableApplicationContext start(String name, int serverId, Map<String, Object> settings) throws Exception {
        Path data = Files.createTempDirectory(name);
        Map<String, Object> all = new HashMap<>();
        all.put("cphub.data-dir", data.toString());
        all.put("spring.artemis.embedded.server-id", serverId);
        all.put("cphub.broker.name", name);
        all.put("spring.jmx.unique-names", "true");
        all.put("server.port", "0");
        all.put("cphub.hl7.port", HubProcess.freePort());
        all.put("cphub.sip.port", HubProcess.freePort());
        all.put("CPHUB_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema);
        all.put("CPHUB_DB_USER", USER);
        all.put("CPHUB_DB_POOL_SIZE", POOL_SIZE);
        all.put("spring.flyway.schemas", schema);
        all.put("spring.flyway.create-schemas", "true");
        all.put("cphub.routing.reload-interval", "1h");
        all.putAll(settings);
        return new SpringApplicationBuilder(CpHubApplication.class, MovedTime.class)
                .run(all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    public static int port(ConfigurableApplicationContext hub) {
        return Integer.parseInt(hub.getEnvironment().getProperty("local.server.port"));
    }
}

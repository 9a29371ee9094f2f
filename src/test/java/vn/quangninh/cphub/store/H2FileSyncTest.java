package vn.quangninh.cphub.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import vn.quangninh.cphub.LogRecorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link H2FileSync} on a real H2 file store: it syncs at its interval while it runs and not after it stopped; a
 * store user without admin rights is told once and the sync stops; PostgreSQL and in-memory stores are left alone.
 * That the sync takes the stalls away is measured, not tested (bench/RESULTS.md: the kernel's dirty pages and the
 * hub's log gaps through a drain, with and without it).
 */
class H2FileSyncTest {

    private static final Duration INTERVAL = Duration.ofMillis(50);

    @TempDir
    Path data;

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private H2FileSync sync;

    @AfterEach
    void stop() {
        if (sync != null) {
            sync.stop();
        }
    }

    private String url() {
        return "jdbc:h2:file:" + data.resolve("store/cphub") + ";WRITE_DELAY=0";
    }

    private DriverManagerDataSource store(String user, String password) {
        return new DriverManagerDataSource(url(), user, password);
    }

    private long syncs() {
        return meters.get("cphub.store.file.sync").timer().count();
    }

    @Test
    void syncsAnH2FileStoreAtItsIntervalWhileItRuns() {
        sync = new H2FileSync(store("sa", ""), url(), INTERVAL, meters);
        assertThat(sync.isAutoStartup()).as("an H2 file store").isTrue();

        sync.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> syncs() >= 5);
        assertThat(sync.isRunning()).isTrue();

        sync.stop();
        long stopped = syncs();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> syncs() == stopped);
        assertThat(sync.isRunning()).isFalse();
    }

    @Test
    void aStoreUserWithoutAdminRightsIsToldOnceAndTheSyncStops() {
        JdbcTemplate admin = new JdbcTemplate(store("sa", ""));
        admin.execute("create user hub password 'synthetic-password'");
        AtomicInteger tries = new AtomicInteger();
        DriverManagerDataSource hub = new DriverManagerDataSource(url(), "hub", "synthetic-password") {
            @Override
            public Connection getConnection() throws SQLException {
                tries.incrementAndGet();
                return super.getConnection();
            }
        };
        try (LogRecorder log = LogRecorder.of(H2FileSync.class)) {
            sync = new H2FileSync(hub, url(), INTERVAL, meters);
            sync.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> !log.messages().isEmpty());
            await().during(Duration.ofMillis(10 * INTERVAL.toMillis())).atMost(Duration.ofSeconds(5))
                    .until(() -> tries.get() == 1 && log.messages().size() == 1);
            assertThat(log.messages().get(0)).contains("no admin rights").contains("CPHUB_STORE_H2_SYNC_INTERVAL=0s");
            assertThat(syncs()).isZero();
        }
    }

    @Test
    void leavesPostgresqlInMemoryAndSwitchedOffStoresAlone() {
        DriverManagerDataSource unused = store("sa", "");
        assertThat(new H2FileSync(unused, "jdbc:postgresql://127.0.0.1:5432/test", INTERVAL, meters).isAutoStartup()).isFalse();
        assertThat(new H2FileSync(unused, "jdbc:h2:mem:cphub;DB_CLOSE_DELAY=-1", INTERVAL, meters).isAutoStartup()).isFalse();
        assertThat(new H2FileSync(unused, url(), Duration.ZERO, meters).isAutoStartup()).isFalse();
    }
}

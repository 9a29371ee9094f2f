package vn.quangninh.cphub.store;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import vn.quangninh.cphub.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub on its H2 file store syncs it by its shipped settings ({@code cphub.store.h2-sync-interval}, 1 s), with
 * the timer operators read ({@code cphub_store_file_sync_seconds}). PostgresStoreTest checks that a hub on
 * PostgreSQL does not.
 */
class H2FileSyncHubTest extends HubTestSupport {

    @Autowired
    H2FileSync sync;

    @Autowired
    MeterRegistry meters;

    @Test
    void theHubSyncsItsH2FileEverySecond() {
        assertThat(sync.isRunning()).isTrue();
        long before = meters.get("cphub.store.file.sync").timer().count();
        await().atMost(Duration.ofSeconds(10)).until(() -> meters.get("cphub.store.file.sync").timer().count() >= before + 2);
    }
}

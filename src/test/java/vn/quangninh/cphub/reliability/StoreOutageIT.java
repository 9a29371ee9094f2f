package vn.quangninh.cphub.reliability;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.SharedStoreHubs;


/**
 * Fault 5 of the reliability suite: the store (PostgreSQL on 127.0.0.1:5432, reached through a
 * {@link NetworkCut}) unreachable for a while under the {@link LoadDriver}'s load, then back. Reports the
 * broker has taken stay taken: triage, call records and the sinks roll back and the broker redelivers them once
 * the store is back; nothing accepted is lost, no key has two effects. CI cuts it for 20 s (longer than the 5 s the hub waits for a store connection); longer:
 * {@code -Dcphub.store-outage.seconds=300}.
 */
class StoreOutageIT extends PackagedHubFault {

    private static final int OUTAGE_SECONDS = Integer.getInteger("cphub.store-outage.seconds", 20);
    private static final String SCHEMA = "cphub_store_outage";

    private NetworkCut store;

    @AfterEach
    void reconnectTheStore() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void nothingTakenIsLostWhileTheStoreIsUnreachable() throws Exception {
        new SharedStoreHubs(SCHEMA).fresh();
        store = new NetworkCut(5432).open();
        startHub("cphub-store-outage", Map.of(
                "CPHUB_DB_URL", "jdbc:postgresql://127.0.0.1:" + store.port() + "/test?currentSchema=" + SCHEMA,
                "CPHUB_DB_USER", SharedStoreHubs.USER,
                "SPRING_FLYWAY_SCHEMAS", SCHEMA,
                "SPRING_FLYWAY_CREATE_SCHEMAS", "true",
                // redeliveries come back soon after the store does (production: 5 s doubling)
                "CPHUB_BROKER_REDELIVERY_DELAY", "1s",
                "CPHUB_BROKER_MAX_REDELIVERY_DELAY", "5s"));

        LoadDriver load = new LoadDriver(hub, police);
        load.start();
        Thread.sleep(Duration.ofSeconds(5).toMillis());
        store.cut();
        Thread.sleep(Duration.ofSeconds(OUTAGE_SECONDS).toMillis());
        store.open();
        Thread.sleep(Duration.ofSeconds(10).toMillis());
        load.stop();

        LoadDriver.Figures figures = load.settle("PostgreSQL (the store) unreachable for " + OUTAGE_SECONDS + " s during load, then back");
        figures.assertNothingLostNorDoubled();
    }
}

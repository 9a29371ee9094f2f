package vn.quangninh.cphub.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.SharedStoreHubs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault 5 of the reliability suite: the store (PostgreSQL on 127.0.0.1:5432, reached through a
 * {@link NetworkCut}) unreachable for a while under the {@link LoadDriver}'s load, then back. Reports the
 * broker has taken stay taken: triage, call records and the sinks roll back and the broker redelivers them once
 * the store is back; nothing accepted is lost, no key has two effects. Once the store's circuit has found the store
 * down (store.StoreCircuit), triage tries nothing until it is back: a store outage of any length spends none of the
 * broker's attempts on the incidents waiting, which used to be tried, rolled back and redelivered until the broker's
 * last attempt sent them to {@code cphub.dlq.broker}. Operators' Prometheus still reads the clocks'
 * last counts meanwhile (they are counted in the background, not per scrape). CI cuts it for 30 s (longer than the
 * 5 s the hub waits for a store connection, and than the circuit takes to open); longer:
 * {@code -Dcphub.store-outage.seconds=300}.
 */
class StoreOutageIT extends PackagedHubFault {

    private static final int OUTAGE_SECONDS = Integer.getInteger("cphub.store-outage.seconds", 30);
    /** the first failed try waits up to 5 s for a connection, and the probe it asks for as well (+ margin) */
    private static final Duration CIRCUIT_OPENS_WITHIN = Duration.ofSeconds(16);
    /** a try under way when the circuit opens may wait for the store writer's batch before it, then for its own
     * (each up to 5 s for a connection, + margin); no triage try may fail after that until the store is back */
    private static final Duration TRIES_UNDER_WAY_END_WITHIN = Duration.ofSeconds(12);
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
                "CPHUB_BROKER_MAX_REDELIVERY_DELAY", "5s",
                "CPHUB_CLOCK_COUNT_INTERVAL", "1s"));

        LoadDriver load = new LoadDriver(hub, police);
        load.start();
        Thread.sleep(Duration.ofSeconds(5).toMillis());
        store.cut();
        Instant cut = Instant.now();
        // past the 5 s the hub waits for a store connection: the clocks' last counts are still what operators see
        // (a count per scrape made every clock gauge NaN, each after its own 5 s wait)
        int beforeScrape = Math.min(8, OUTAGE_SECONDS);
        Thread.sleep(Duration.ofSeconds(beforeScrape).toMillis());
        Map<String, String> clockGauges = clockGauges();
        Thread.sleep(Duration.ofSeconds(OUTAGE_SECONDS - beforeScrape).toMillis());
        Instant back = Instant.now();
        store.open();
        Thread.sleep(Duration.ofSeconds(10).toMillis());
        load.stop();

        LoadDriver.Figures figures = load.settle("PostgreSQL (the store) unreachable for " + OUTAGE_SECONDS + " s during load, then back");
        figures.assertNothingLostNorDoubled();
        assertTriageWaitedForTheStore(cut, CIRCUIT_OPENS_WITHIN, TRIES_UNDER_WAY_END_WITHIN, back, Duration.ofSeconds(15));
        assertNoErrorHandlerFailed();
        assertThat(clockGauges).as("the clock gauges scraped while the store was away").containsOnlyKeys(
                "cphub_clocks_running", "cphub_clocks_near_breach", "cphub_clocks_breached");
        clockGauges.forEach((gauge, value) -> assertThat(Double.parseDouble(value)).as(gauge + ": a count, not NaN").isNotNaN());
        assertThat(Double.parseDouble(clockGauges.get("cphub_clocks_running")))
                .as("the last count of the running clocks (the load's referrals started them)").isPositive();
    }

    /** The clock gauges of one Prometheus scrape, as an operator's Prometheus reads them. */
    private Map<String, String> clockGauges() throws Exception {
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + hub.port() + "/actuator/prometheus"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("operator:operator-dev".getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).as("a scrape while the store is away").isEqualTo(200);
        Map<String, String> gauges = new java.util.TreeMap<>();
        scrape.body().lines().filter(line -> line.startsWith("cphub_clocks_") && !line.startsWith("cphub_clocks_escalations"))
                .forEach(line -> gauges.put(line.substring(0, line.indexOf(' ')), line.substring(line.lastIndexOf(' ') + 1)));
        return gauges;
    }
}

package vn.quangninh.cphub.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.PartnerStub;
import vn.quangninh.cphub.SyntheticIncidents;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.model.Referral;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault 3 of the reliability suite: police intake down (503) while incidents of priority 1 and 3 keep coming,
 * then back. The partner's circuit (delivery.PartnerCircuits) pauses its sink after a few failures, so the
 * waiting referrals spend no attempts and, when police is back, leave in priority order: every referral that
 * was never tried during the outage reaches police after all the more urgent ones. The referrals the circuit
 * tried before the circuit opened come back on their redelivery schedule; one whose only failure was as a probe
 * went back to the queue at once, behind the others of its priority. Everything taken is delivered, once per key.
 *
 * <p>CI runs a 30 s outage; the long version: {@code -Dcphub.outage.seconds=600} (README, "Reliability").
 */
class PartnerOutageIT extends PackagedHubFault {

    private static final int OUTAGE_SECONDS = Integer.getInteger("cphub.outage.seconds", 30);
    private static final int INCIDENTS = Integer.getInteger("cphub.outage.incidents", 40);

    @Test
    void everythingWaitingIsDeliveredInPriorityOrderWhenThePartnerIsBack() throws Exception {
        // up to a minute: the production ratios, faster — back-off 1 s doubling to 20 s, 10 attempts (~2 min of
        // back-off where production has ~30 min); the circuit opens after 3 failures in 2 s and tries again
        // every 2 s. A longer outage runs on the production defaults (5 s doubling to 10 min, circuit 30 s).
        boolean compressed = OUTAGE_SECONDS <= 60;
        startHub("cphub-outage", compressed ? Map.of(
                "CPHUB_BROKER_REDELIVERY_DELAY", "1s",
                "CPHUB_BROKER_MAX_REDELIVERY_DELAY", "20s",
                "CPHUB_DELIVERY_CIRCUIT_FAILURE_WINDOW", "2s",
                "CPHUB_DELIVERY_CIRCUIT_HALF_OPEN_AFTER", "2s") : Map.of());
        PartnerClient partner = new PartnerClient(hub.port());
        // the line comes with Spring's ApplicationReadyEvent, a moment after /actuator/health first answers 200
        // (read once at that moment, it was missing in one CI run)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(java.nio.file.Files.readString(hub.log()))
                .as("a new operator is told where the console is")
                .containsPattern("Operators' console \\(Hawtio\\): http://[^ ]+:" + hub.port() + "/actuator/hawtio/"));

        StubMapping down = police.stubFor(post(urlEqualTo("/intake")).atPriority(1).willReturn(aResponse().withStatus(503)));
        long outageStarted = System.currentTimeMillis();
        Map<String, Integer> priorityByKey = new LinkedHashMap<>();
        int accepted = 0;
        for (int i = 0; i < INCIDENTS; i++) {
            String eventId = SyntheticIncidents.newEventId();
            int priority = i % 3 == 0 ? 1 : 3;
            var incident = SyntheticIncidents.incident(eventId);
            incident.put("priority", priority);
            if (partner.post(incident.toString()).statusCode() == 202) {
                accepted++;
                priorityByKey.put(Referral.idFor(Incident.idFor(PartnerClient.HOTLINE, eventId), "police").toString(), priority);
            }
            Thread.sleep(OUTAGE_SECONDS * 1000L / 2 / INCIDENTS); // the first half of the outage
        }
        // an operator's Prometheus sees police's routine lane down
        await().atMost(Duration.ofSeconds(15)).until(() -> scrape().contains("cphub_partner_circuit{lane=\"routine\",partner=\"police\"} 2.0"));
        // ... its health page says police is down, the hub's own health stays UP (it still takes every report) ...
        // (open, or half-open while one referral probes police: down either way)
        assertThat(viewerGet("/actuator/health/partners/police").body()).contains("\"status\":\"PARTNER_DOWN\"")
                .containsPattern("\"routineCircuit\":\"(open|half-open)\"");
        HttpResponse<String> hubHealth = viewerGet("/actuator/health");
        assertThat(hubHealth.statusCode()).isEqualTo(200);
        var health = new com.fasterxml.jackson.databind.ObjectMapper().readTree(hubHealth.body());
        assertThat(health.path("status").asText()).as("the hub's own health").isEqualTo("UP");
        assertThat(health.path("components").path("partners").path("components").path("police").path("status").asText())
                .isEqualTo("PARTNER_DOWN");
        // ... and Hawtio's JMX tree has the circuit under a name an operator reads
        assertThat(viewerGet("/actuator/jolokia/read/vn.quangninh.cphub:type=PartnerCircuit,partner=police,lane=routine/State").body())
                .containsPattern("\"value\":\"(open|half-open)\"");
        Thread.sleep(Math.max(0, outageStarted + OUTAGE_SECONDS * 1000L - System.currentTimeMillis()));
        police.removeStub(down);
        long back = System.currentTimeMillis();

        // a probe may wait out its back-off after police is back: up to 20 s compressed, 10 min in production
        await().atMost(compressed ? Duration.ofSeconds(180) : Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(1))
                .until(() -> firstSuccess(back).keySet().containsAll(priorityByKey.keySet()));
        Thread.sleep(2000); // late redeliveries are counted too

        Map<String, Long> delivered = firstSuccess(back);
        Map<String, Set<String>> bodies = PartnerStub.deliveredToPolice(police);
        Set<String> probed = new HashSet<>();
        int failedAttempts = 0;
        for (ServeEvent event : police.getAllServeEvents()) {
            if (event.getRequest().getUrl().equals("/intake") && event.getResponse().getStatus() == 503) {
                failedAttempts++;
                probed.add(event.getRequest().getHeader("Idempotency-Key"));
            }
        }
        Set<String> lost = new HashSet<>(priorityByKey.keySet());
        lost.removeAll(delivered.keySet());
        long twoEffects = bodies.values().stream().filter(b -> b.size() > 1).count();

        // the referrals that waited untried: each urgent one before every less urgent one
        List<String> waited = new ArrayList<>(priorityByKey.keySet());
        waited.removeAll(probed);
        int inversions = 0;
        for (String urgent : waited) {
            for (String other : waited) {
                if (priorityByKey.get(urgent) < priorityByKey.get(other) && delivered.get(other) < delivered.get(urgent)) {
                    inversions++;
                }
            }
        }
        System.out.printf("%nfault: police intake down (503) for %d s, %d incidents posted meanwhile (every third priority 1, "
                        + "the others 3)%n  accepted %d; delivered after the outage %d; lost %d; keys with two different bodies %d%n"
                        + "  attempts that failed during the outage %d, on %d referrals tried as probes; %d referrals waited untried; "
                        + "priority inversions among them %d; all delivered %.1f s after police was back%n",
                OUTAGE_SECONDS, INCIDENTS, accepted, delivered.size(), lost.size(), twoEffects, failedAttempts, probed.size(),
                waited.size(), inversions, (lastSuccessAt() - back) / 1000.0);

        FaultTable.add("police intake down (503) for " + OUTAGE_SECONDS + " s, then back", accepted, delivered.size(), lost.size(),
                twoEffects, failedAttempts, String.format("%d referrals waited untried, %d priority inversions among them; %d tried as probes",
                        waited.size(), inversions, probed.size()));
        assertThat(accepted).isEqualTo(INCIDENTS);
        assertThat(lost).as("every accepted incident reached police").isEmpty();
        assertThat(twoEffects).as("no key delivered with two different bodies").isZero();
        assertThat(failedAttempts).as("the circuit held the queue: far fewer attempts than referrals × attempts")
                .isLessThan(INCIDENTS);
        assertThat(waited.stream().map(priorityByKey::get).distinct()).as("urgent and less urgent referrals waited untried")
                .contains(1, 3);
        assertThat(inversions).as("the waiting referrals left in priority order").isZero();

        // what an operator's Prometheus scrapes from the hub: the same attempts, each counted once
        int failed = failedAttempts;
        long successes = police.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals("/intake")
                && e.getResponse().getStatus() < 300).count();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            String scrape = scrape();
            assertThat(sum(scrape, "cphub_deliveries_total{", "partner=\"police\"", "outcome=\"failed\"")
                    + sum(scrape, "cphub_deliveries_total{", "partner=\"police\"", "outcome=\"dead_lettered\""))
                    .as("failed attempts in /actuator/prometheus").isEqualTo(failed);
            assertThat(sum(scrape, "cphub_deliveries_total{", "partner=\"police\"", "outcome=\"delivered\""))
                    .as("deliveries in /actuator/prometheus").isEqualTo(successes);
            assertThat(scrape).contains("cphub_queue_messages{queue=\"cphub.deliver.police\"} 0.0")
                    .contains("cphub_partner_circuit{lane=\"routine\",partner=\"police\"} 0.0")
                    .contains("cphub_delivery_latency_seconds_count{lane=\"urgent\",partner=\"police\"}");
        });
        assertThat(viewerGet("/actuator/health/partners/police").body()).contains("\"status\":\"UP\"", "\"routineCircuit\":\"closed\"");
        // the operators' Grafana dashboard (config/grafana) graphs only what the hub exports
        String scrape = scrape();
        java.util.regex.Matcher metric = java.util.regex.Pattern.compile("cphub_[a-z_]+")
                .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("config/grafana/cphub-operators.json")));
        while (metric.find()) {
            if (!metric.group().equals("cphub_clocks_escalations_total")) { // registered at the first escalation
                assertThat(scrape).as("dashboard metric " + metric.group()).containsPattern(metric.group() + "[{ ]");
            }
        }
        // and its log says so in words, once each way (not after every failed probe)
        String log = java.nio.file.Files.readString(hub.log());
        assertThat(log.split("Partner police is down \\(routine lane\\)", -1)).as("'down' said once").hasSize(2);
        assertThat(log).as("the line says what the last failed attempt met (a store failure reads otherwise)")
                .containsPattern("Partner police is down \\(routine lane\\): \\d+ failed attempts within \\d+ ms, the last HTTP 503\\.");
        assertThat(log).contains("Partner police is back (routine lane): delivering from cphub.deliver.police again");
    }

    private HttpResponse<String> viewerGet(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("viewer:viewer-dev".getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private String scrape() throws Exception {
        var answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + "/actuator/prometheus"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("viewer:viewer-dev".getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    /** The sum of the samples of a metric line prefix whose labels contain all of {@code labels}. */
    private static double sum(String scrape, String metric, String... labels) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(metric) && java.util.Arrays.stream(labels).allMatch(line::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** The order in which keys first got a 2xx from police after the outage (WireMock lists newest first). */
    private Map<String, Long> firstSuccess(long after) {
        List<ServeEvent> events = new ArrayList<>(police.getAllServeEvents());
        java.util.Collections.reverse(events);
        Map<String, Long> first = new HashMap<>();
        long position = 0;
        for (ServeEvent event : events) {
            if (event.getRequest().getUrl().equals("/intake") && event.getResponse().getStatus() < 300
                    && event.getRequest().getLoggedDate().getTime() >= after) {
                first.putIfAbsent(event.getRequest().getHeader("Idempotency-Key"), position++);
            }
        }
        return first;
    }

    private long lastSuccessAt() {
        return police.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals("/intake")
                && e.getResponse().getStatus() < 300).mapToLong(e -> e.getRequest().getLoggedDate().getTime()).max().orElse(0);
    }
}

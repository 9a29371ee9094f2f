package vn.quangninh.cphub.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import vn.quangninh.cphub.BrokerPair;
import vn.quangninh.cphub.Haproxy;
import vn.quangninh.cphub.HubProcess;
import vn.quangninh.cphub.SharedStoreHubs;
import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.PartnerStub;
import vn.quangninh.cphub.StandaloneBroker;
import vn.quangninh.cphub.SyntheticIncidents;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.model.Referral;
import vn.quangninh.cphub.cctv.Frigate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several hubs and a highly available broker (README, "High availability"), as real processes on this
 * machine: the shared-store Artemis pair of config/broker/broker-primary.xml and broker-backup.xml, two
 * packaged hubs (HubProcess) on one PostgreSQL schema, all active, HAProxy with the shipped
 * config/haproxy/haproxy.cfg in front of their HTTP and MLLP, and the reliability suite's load: HTTP and MLLP
 * through HAProxy, SIP to each hub in turn (as a PBX with both hubs as destinations), a camera storm over both and Frigate's MQTT seen by both. Each fault
 * adds its row to target/reliability-figures.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HighAvailabilityIT {

    private static final String SCHEMA = "cphub_ha";
    private static final String FRIGATE_TOPICS = "cphub-ha-" + UUID.randomUUID() + "/frigate";
    private static final String DESK = "/desk";
    /** How long a killed broker or hub stays down before it is started again; longer: -Dcphub.ha.down.seconds=120. */
    private static final int DOWN_SECONDS = Integer.getInteger("cphub.ha.down.seconds", 8);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final WireMockServer police = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private BrokerPair brokers;
    private HubProcess hubA;
    private HubProcess hubB;
    private Haproxy haproxy;

    @BeforeAll
    void startBrokerPairAndTwoHubs() throws Exception {
        police.start();
        PartnerStub.answer(police, aResponse().withStatus(200), aResponse().withStatus(200));
        police.stubFor(post(urlEqualTo(DESK)).willReturn(aResponse().withStatus(200)));
        new SharedStoreHubs(SCHEMA).fresh();
        brokers = new BrokerPair(Files.createTempDirectory("cphub-ha-brokers")).createAndStart();
        hubA = hub("hub-a").start();
        hubB = hub("hub-b").start();
        haproxy = new Haproxy(Files.createTempDirectory("cphub-ha-haproxy")).start(List.of(hubA, hubB));
    }

    @AfterAll
    void stopAll() throws Exception {
        for (AutoCloseable piece : new AutoCloseable[] {haproxy, hubA, hubB, brokers}) {
            if (piece != null) {
                piece.close();
            }
        }
        police.stop();
    }

    private HubProcess hub(String name) throws Exception {
        Map<String, String> settings = PartnerStub.hubSettings(police);
        settings.put("CCTV_DESK_HALONG_WEBHOOK_URL", police.baseUrl() + DESK);
        settings.put("CPHUB_BROKER_URL", brokers.url());
        settings.put("CPHUB_BROKER_USER", StandaloneBroker.USER);
        settings.put("CPHUB_BROKER_PASSWORD", StandaloneBroker.PASSWORD);
        settings.put("CPHUB_BROKER_NAME", name);
        settings.put("CPHUB_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + SCHEMA);
        settings.put("CPHUB_DB_USER", SharedStoreHubs.USER);
        settings.put("SPRING_FLYWAY_SCHEMAS", SCHEMA);
        settings.put("SPRING_FLYWAY_CREATE_SCHEMAS", "true");
        // both hubs subscribe to Frigate's events, each with its own session
        settings.put("CPHUB_FRIGATE_ENABLED", "true");
        settings.put("CPHUB_FRIGATE_EVENTS_TOPIC", FRIGATE_TOPICS + "/events");
        settings.put("CPHUB_FRIGATE_REVIEWS_TOPIC", FRIGATE_TOPICS + "/reviews");
        return new HubProcess(Files.createTempDirectory("cphub-ha-" + name), settings);
    }

    /**
     * kill -9 of the active (primary) broker under load over both hubs: the backup takes the shared store's
     * lock and serves; the hubs fail over to it by themselves. Then the primary comes back and takes over
     * again (fail-back): a second move, under the same load.
     */
    @Test
    @Order(1)
    void theBackupBrokerTakesOverWhenThePrimaryIsKilled() throws Exception {
        police.resetRequests();
        LoadDriver load = new LoadDriver(haproxy, List.of(hubA, hubB), police);
        load.start();
        Thread.sleep(5_000);
        brokers.primary().kill();
        brokers.backup().awaitActive(Duration.ofSeconds(60));
        // its port opens while it activates, a moment before it logs that it is active (a CI run read the log in between)
        await("the backup took the journal").atMost(Duration.ofSeconds(60))
                .until(() -> Files.readString(brokers.backup().log()).contains("AMQ221010"));
        Thread.sleep(DOWN_SECONDS * 1000L);
        brokers.primary().launch();
        brokers.primary().awaitActive(Duration.ofSeconds(90));
        Thread.sleep(8_000);
        load.stop();

        LoadDriver.Figures figures = load.settle("two hubs behind HAProxy, broker pair: kill -9 of the primary broker (backup takes over), then the primary back (fail-back)");
        figures.assertNothingLostNorDoubled();
        assertThat(figures.expected()).as("both hubs took incidents throughout").isGreaterThan(50);
    }

    /**
     * kill -9 of one hub under load over both: the other carries on; what the killed hub had taken from the
     * broker but not finished goes back to the broker and is finished by the other hub. The killed hub is
     * started again before the figures are read.
     */
    @Test
    @Order(2)
    void theOtherHubCarriesOnWhenOneIsKilled() throws Exception {
        police.resetRequests();
        LoadDriver load = new LoadDriver(haproxy, List.of(hubA, hubB), police);
        load.start();
        Thread.sleep(5_000);
        hubA.kill();
        long takenBefore = takenIncidents();
        Thread.sleep(DOWN_SECONDS * 1000L);
        assertThat(takenIncidents()).as("hub-b goes on taking and triaging while hub-a is down").isGreaterThan(takenBefore);
        hubA.start();
        Thread.sleep(4_000);
        load.stop();

        LoadDriver.Figures figures = load.settle("two hubs behind HAProxy, broker pair: kill -9 of one hub (the other carries on), then restarted");
        figures.assertNothingLostNorDoubled();
    }

    /**
     * Both hubs killed at once under load ({@code kill -9}: an outage of the site, or an upgrade gone wrong) and
     * both started again: what they had taken is finished after the restart, nothing accepted is lost.
     */
    @Test
    @Order(3)
    void bothHubsKilledAndRestartedLoseNothing() throws Exception {
        police.resetRequests();
        LoadDriver load = new LoadDriver(haproxy, List.of(hubA, hubB), police);
        load.start();
        Thread.sleep(5_000);
        hubA.kill();
        hubB.kill();
        Thread.sleep(2_000);
        hubA.start();
        hubB.start();
        Thread.sleep(5_000);
        load.stop();

        LoadDriver.Figures figures = load.settle("two hubs behind HAProxy, broker pair: both hubs kill -9'd at once, then both restarted");
        figures.assertNothingLostNorDoubled();
    }

    /**
     * The same source event posted to both hubs at once, again and again (a partner retrying through the load
     * balancer): every copy is answered 202, and each event reaches police once — one referral, one body.
     */
    @Test
    @Order(4)
    void theSameEventAtBothHubsAtOnceHasOneEffect() throws Exception {
        police.resetRequests();
        List<String> keys = new java.util.ArrayList<>();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int n = 0; n < 20; n++) {
                String eventId = SyntheticIncidents.newEventId();
                String body = SyntheticIncidents.incident(eventId).toString();
                keys.add(Referral.idFor(Incident.idFor(PartnerClient.HOTLINE, eventId), "police").toString());
                for (HubProcess hub : List.of(hubA, hubB, hubA, hubB)) {
                    answers.add(pool.submit(() -> new PartnerClient(hub.port()).post(body).statusCode()));
                }
            }
            for (var answer : answers) {
                assertThat(answer.get()).as("every copy is taken (the repeats are skipped in triage)").isEqualTo(202);
            }
        } finally {
            pool.shutdown();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> keys.stream().allMatch(k -> !policeRequests(k).isEmpty()));
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15))
                .until(() -> keys.stream().allMatch(k -> policeRequests(k).size() == 1));
        FaultTable.add("two hubs: the same event posted to both at once, 4 copies each", keys.size(), keys.size(), 0, 0, 0,
                "each of the 20 events delivered to police once");
    }

    private List<com.github.tomakehurst.wiremock.verification.LoggedRequest> policeRequests(String key) {
        return police.findAll(postRequestedFor(urlEqualTo("/intake"))
                .withHeader("Idempotency-Key", com.github.tomakehurst.wiremock.client.WireMock.equalTo(key)));
    }

    /**
     * A camera storm spread over both hubs: the events of each episode are posted to hub-a and hub-b in turn,
     * and one event is posted to both. Each episode becomes one alert holding all its events, once.
     */
    @Test
    @Order(5)
    void aCameraStormOverBothHubsGivesOneAlertPerEpisode() throws Exception {
        police.resetRequests();
        List<HubProcess> hubs = List.of(hubA, hubB);
        Map<String, String> devices = Map.of("gate-1", "/cctv/hikvision/dev-only-camera-key-hongha-gate-01|1",
                "gate-2", "/cctv/hikvision/dev-only-camera-key-hongha-gate-01|2",
                "hall-1", "/cctv/hikvision/dev-only-camera-key-shelter-hall-01|1");
        int events = 12;
        Map<String, String> firstAtByEpisode = new HashMap<>();
        int minute = 0;
        for (var device : devices.entrySet()) {
            String path = device.getValue().split("\\|")[0];
            String channel = device.getValue().split("\\|")[1];
            for (String type : List.of("VMD", "linedetection")) {
                String at0 = String.format("2026-10-05T09:%02d:00+07:00", minute++);
                firstAtByEpisode.put(device.getKey() + "/" + type, OffsetDateTime.parse(at0).toInstant().toString());
                for (int i = 0; i < events; i++) {
                    String at = OffsetDateTime.parse(at0).plusSeconds(i).toString();
                    byte[] xml = hikvision(type, i == events - 1 ? "inactive" : "active", channel, at);
                    assertThat(postCamera(hubs.get(i % 2), path, xml)).as("event " + i + " of " + device.getKey() + "/" + type).isEqualTo(200);
                    if (i == 3) {
                        // the same event at the other hub too (a device's retry through the load balancer)
                        assertThat(postCamera(hubs.get((i + 1) % 2), path, xml)).isEqualTo(200);
                    }
                }
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> cameraAlerts().size() >= firstAtByEpisode.size());
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(20)).until(() -> cameraAlerts().size() == firstAtByEpisode.size());
        List<JsonNode> alerts = cameraAlerts();
        assertThat(alerts).extracting(a -> a.get("firstAt").asText()).as("one alert per episode")
                .containsExactlyInAnyOrderElementsOf(firstAtByEpisode.values());
        assertThat(alerts).allSatisfy(a -> assertThat(a.get("events").asInt()).as("every event once, the repeated one too").isEqualTo(events));
        FaultTable.add("two hubs: a camera storm spread over both (" + devices.size() * 2 + " episodes of " + events
                        + " events, one event posted to both hubs)", firstAtByEpisode.size(), alerts.size(), 0, 0, 0,
                "one alert per episode, each with all its events once");
    }

    /** Both hubs subscribe to Frigate's topic: one Frigate event, seen by both, is one camera event in one alert. */
    @Test
    @Order(6)
    void oneFrigateEventSeenByBothHubsIsOneCameraEvent() throws Exception {
        police.resetRequests();
        double start = 1790000000 + Math.floor(Math.random() * 3600);
        Frigate.publish(FRIGATE_TOPICS + "/events", frigate("new", start).getBytes(StandardCharsets.UTF_8));
        Frigate.publish(FRIGATE_TOPICS + "/events", frigate("end", start).getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).until(() -> !cameraAlerts().isEmpty());
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(20)).until(() -> cameraAlerts().size() == 1);
        JsonNode alert = cameraAlerts().get(0);
        assertThat(alert.get("deviceId").asText()).isEqualTo("hongha-yard-frigate");
        assertThat(alert.get("events").asInt()).as("new and end, each once though both hubs took them").isEqualTo(2);
        FaultTable.add("two hubs, each subscribed to Frigate: one event seen by both", 2, 2, 0, 0, 0,
                "one alert, holding the start and the end once each");
    }

    private List<JsonNode> cameraAlerts() {
        return police.findAll(postRequestedFor(urlEqualTo(DESK))).stream().map(r -> {
            try {
                return JSON.readTree(r.getBodyAsString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(m -> m.path("kind").asText().equals("camera-alert")).toList();
    }

    private int postCamera(HubProcess hub, String path, byte[] xml) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path)).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(xml)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static byte[] hikvision(String type, String state, String channel, String at) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<EventNotificationAlert version=\"2.0\" xmlns=\"http://www.isapi.org/ver20/XMLSchema\">"
                + "<channelID>" + channel + "</channelID><dateTime>" + at + "</dateTime>"
                + "<activePostCount>1</activePostCount><eventType>" + type + "</eventType><eventState>" + state + "</eventState>"
                + "</EventNotificationAlert>").getBytes(StandardCharsets.UTF_8);
    }

    private static String frigate(String type, double start) {
        return "{\"type\":\"" + type + "\",\"before\":{},\"after\":{\"id\":\"" + start + "-ha\",\"camera\":\"hongha_yard\","
                + "\"label\":\"person\",\"score\":0.8,\"top_score\":0.9,\"false_positive\":false,\"start_time\":" + start
                + ",\"end_time\":" + (type.equals("end") ? String.valueOf(start + 20) : "null")
                + ",\"current_zones\":[\"yard\"],\"entered_zones\":[\"yard\"]}}";
    }

    /** Incidents triaged so far (the shared store's journey). */
    private static long takenIncidents() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + SCHEMA, SharedStoreHubs.USER, "")) {
            var rs = c.createStatement().executeQuery("select count(*) from incident_fact");
            rs.next();
            return rs.getLong(1);
        }
    }
}

package vn.quangninh.cphub.cctv;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import vn.quangninh.cphub.SharedStoreHubs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Open camera episodes live in the store (PostgreSQL here), not in a hub: a hub takes the first events of
 * two episodes and is shut down before either closes; the next hub on the same store closes both — one
 * continued by a further event, one left alone — each as one alert with all its events.
 */
class EpisodeRestartTest {

    private static final SharedStoreHubs STORE = new SharedStoreHubs("cphub_episode_restart");
    private static final WireMockServer PARTNERS = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private static final String GATE = "/cctv/hikvision/dev-only-camera-key-hongha-gate-01";
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void partnersAndAFreshSchema() throws Exception {
        PARTNERS.start();
        PARTNERS.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)));
        STORE.fresh();
    }

    @AfterAll
    static void stopPartners() {
        PARTNERS.stop();
    }

    @Test
    void openEpisodesSurviveTheHubThatOpenedThem() throws Exception {
        String continued = "2026-11-28T10:00:00+07:00";
        String leftAlone = "2026-11-28T10:00:05+07:00";
        try (ConfigurableApplicationContext first = hub("episodes-a", 41)) {
            assertThat(push(first, CameraAlertTest.xml("VMD", "active", "1", continued))).isEqualTo(200);
            assertThat(push(first, CameraAlertTest.xml("VMD", "active", "2", leftAlone))).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> openEpisodes() == 2);
        }
        assertThat(alerts()).as("nothing closed before the hub stopped").isEmpty();

        try (ConfigurableApplicationContext second = hub("episodes-b", 42)) {
            assertThat(push(second, CameraAlertTest.xml("VMD", "inactive", "1", "2026-11-28T10:00:30+07:00"))).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> alerts().size() == 2);
            Map<String, JsonNode> byChannel = new HashMap<>();
            alerts().forEach(a -> byChannel.put(a.get("channel").asText(), a));
            assertThat(byChannel.get("1").get("events").asInt()).as("continued across the restart").isEqualTo(2);
            assertThat(byChannel.get("1").get("firstAt").asText()).isEqualTo(OffsetDateTime.parse(continued).toInstant().toString());
            assertThat(byChannel.get("2").get("events").asInt()).as("closed by its window on the new hub").isEqualTo(1);
            assertThat(openEpisodes()).isZero();

            // nobody verifies them: each goes to the site's duty partner once, and its row says so (the escalation
            // route's sql: select and update, here on PostgreSQL)
            await().atMost(Duration.ofSeconds(30)).until(() -> messages("/other", "camera-alert-escalation").size() == 2);
            assertThat(messages("/other", "camera-alert-escalation")).extracting(m -> m.get("alertId").asText())
                    .containsExactlyInAnyOrderElementsOf(alerts().stream().map(a -> a.get("alertId").asText()).toList());
            await().atMost(Duration.ofSeconds(10)).until(() -> alertStatuses().equals(List.of("escalated", "escalated")));
        }
    }

    private List<JsonNode> alerts() {
        return messages("/desk", "camera-alert");
    }

    private static List<String> alertStatuses() throws Exception {
        try (Connection c = STORE.connection()) {
            var rs = c.createStatement().executeQuery("select status from camera_alert order by alert_id");
            List<String> statuses = new java.util.ArrayList<>();
            while (rs.next()) {
                statuses.add(rs.getString(1));
            }
            return statuses;
        }
    }

    private List<JsonNode> messages(String path, String kind) {
        ObjectMapper json = new ObjectMapper();
        return PARTNERS.findAll(postRequestedFor(urlEqualTo(path))).stream().map(r -> {
            try {
                return json.readTree(r.getBodyAsString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(m -> m.path("kind").asText().equals(kind)).toList();
    }

    private static long openEpisodes() throws Exception {
        try (Connection c = STORE.connection()) {
            var rs = c.createStatement().executeQuery("select count(*) from camera_episode");
            rs.next();
            return rs.getLong(1);
        }
    }

    private int push(ConfigurableApplicationContext hub, byte[] xml) throws Exception {
        int port = SharedStoreHubs.port(hub);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + GATE)).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(xml)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static ConfigurableApplicationContext hub(String name, int serverId) throws Exception {
        Map<String, Object> settings = new HashMap<>();
        for (String partner : List.of("POLICE_INTAKE_URL", "SOCIAL_AFFAIRS_WEBHOOK_URL", "HOTLINE_CRM_WEBHOOK_URL",
                "HOSPITAL_BAICHAY_WEBHOOK_URL", "CP_SUPERVISOR_WEBHOOK_URL")) {
            settings.put(partner, PARTNERS.baseUrl() + "/other");
        }
        settings.put("CCTV_DESK_HALONG_WEBHOOK_URL", PARTNERS.baseUrl() + "/desk");
        settings.put("cphub.cctv.episode-window-ms", "6000");
        // alerts escalated within seconds (their timers in the shared store)
        settings.put("cphub.cctv.verify-within", "4s");
        settings.put("db-scheduler.polling-interval", "1s");
        return STORE.start(name, serverId, settings);
    }
}

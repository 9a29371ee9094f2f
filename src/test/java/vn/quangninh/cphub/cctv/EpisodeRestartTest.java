package vn.quangninh.cphub.cctv;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import vn.quangninh.cphub.CpHubApplication;
import vn.quangninh.cphub.HubProcess;
import vn.quangninh.testsupport.MovedTime;

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

    private static final String SCHEMA = "cphub_episode_restart";
    private static final String USER = System.getenv().getOrDefault("CPHUB_TEST_PG_USER", "postgres");
    private static final WireMockServer PARTNERS = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private static final String GATE = "/cctv/hikvision/dev-only-camera-key-hongha-gate-01";
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void partnersAndAFreshSchema() throws Exception {
        PARTNERS.start();
        PARTNERS.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)));
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", USER, "")) {
            c.createStatement().execute("drop schema if exists " + SCHEMA + " cascade");
        }
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
        }
    }

    private List<JsonNode> alerts() {
        ObjectMapper json = new ObjectMapper();
        return PARTNERS.findAll(postRequestedFor(urlEqualTo("/desk"))).stream().map(r -> {
            try {
                return json.readTree(r.getBodyAsString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(m -> m.path("kind").asText().equals("camera-alert")).toList();
    }

    private static long openEpisodes() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + SCHEMA, USER, "")) {
            var rs = c.createStatement().executeQuery("select count(*) from camera_episode");
            rs.next();
            return rs.getLong(1);
        }
    }

    private int push(ConfigurableApplicationContext hub, byte[] xml) throws Exception {
        int port = Integer.parseInt(hub.getEnvironment().getProperty("local.server.port"));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + GATE)).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(xml)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static ConfigurableApplicationContext hub(String name, int serverId) throws Exception {
        Path data = Files.createTempDirectory(name);
        Map<String, Object> settings = new HashMap<>();
        settings.put("cphub.data-dir", data.toString());
        settings.put("spring.artemis.embedded.server-id", serverId);
        settings.put("cphub.broker.name", name);
        settings.put("spring.jmx.unique-names", "true");
        settings.put("server.port", "0");
        settings.put("cphub.hl7.port", HubProcess.freePort());
        settings.put("cphub.sip.port", HubProcess.freePort());
        settings.put("CPHUB_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + SCHEMA);
        settings.put("CPHUB_DB_USER", USER);
        settings.put("spring.flyway.schemas", SCHEMA);
        settings.put("spring.flyway.create-schemas", "true");
        for (String partner : List.of("POLICE_INTAKE_URL", "SOCIAL_AFFAIRS_WEBHOOK_URL", "HOTLINE_CRM_WEBHOOK_URL",
                "HOSPITAL_BAICHAY_WEBHOOK_URL", "CP_SUPERVISOR_WEBHOOK_URL")) {
            settings.put(partner, PARTNERS.baseUrl() + "/other");
        }
        settings.put("CCTV_DESK_HALONG_WEBHOOK_URL", PARTNERS.baseUrl() + "/desk");
        settings.put("cphub.cctv.episode-window-ms", "6000");
        settings.put("cphub.routing.reload-interval", "1h");
        return new SpringApplicationBuilder(CpHubApplication.class, MovedTime.class)
                .run(settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }
}

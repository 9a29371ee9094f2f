package vn.quangninh.cphub.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import vn.quangninh.cphub.SharedStoreHubs;
import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.ShortClocks;
import vn.quangninh.cphub.SinkDeliveries;
import vn.quangninh.cphub.SyntheticIncidents;
import vn.quangninh.cphub.model.Referral;
import vn.quangninh.testsupport.MovedTime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The clocks live in the store, not in a hub: a hub starts an emergency clock and is shut down; two other
 * hub instances on the same PostgreSQL store take over (each with its own broker, so the broker's duplicate
 * detection cannot help), and when the deadline passes the supervisor hears of the breach exactly once. And a
 * hub escalates a stage when it comes due, not at its scan's next look.
 */
class ClockInstancesTest {

    private static final SharedStoreHubs STORE = new SharedStoreHubs("cphub_clock_instances");
    private static final WireMockServer PARTNERS = new WireMockServer(WireMockConfiguration.options().dynamicPort());

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
    void aTimerSurvivesTheHubThatStartedItAndFiresOnceAmongTwoInstances() throws Exception {
        ObjectNode danger = SyntheticIncidents.incident(SyntheticIncidents.newEventId());
        danger.put("priority", 1);
        String incidentId;
        try (ConfigurableApplicationContext first = hub("clocks-a", 31)) {
            var answer = new PartnerClient(port(first)).post(danger.toString());
            assertThat(answer.statusCode()).isEqualTo(202);
            incidentId = new ObjectMapper().readTree(answer.body()).get("incidentId").asText();
            String social = Referral.idFor(UUID.fromString(incidentId), "social-affairs").toString();
            await().atMost(Duration.ofSeconds(20)).until(() -> !PARTNERS.findAll(postRequestedFor(urlEqualTo("/social"))
                    .withHeader("Idempotency-Key", equalTo(social))).isEmpty());
        }
        String social = Referral.idFor(UUID.fromString(incidentId), "social-affairs").toString();

        try (ConfigurableApplicationContext second = hub("clocks-b", 32); ConfigurableApplicationContext third = hub("clocks-c", 33)) {
            // what each instance's sinks deliver of the breach, counted on Camel's events
            SinkDeliveries fromSecond = SinkDeliveries.of(second.getBean(CamelContext.class), "deliver-cp-supervisor*", social + "/emergency/breach");
            SinkDeliveries fromThird = SinkDeliveries.of(third.getBean(CamelContext.class), "deliver-cp-supervisor*", social + "/emergency/breach");
            MovedTime.CLOCK.advance(Duration.ofHours(13));
            await().atMost(Duration.ofSeconds(30)).until(() -> breaches(social).size() == 1);
            // both instances poll several times meanwhile: neither delivers it a second time, nor do both deliver it
            assertThat(fromSecond.noSecondWithin(Duration.ofSeconds(3))).isTrue();
            assertThat(fromThird.noSecondWithin(Duration.ofMillis(1))).isTrue();
            assertThat(fromSecond.firstWithin(Duration.ofMillis(1)) && fromThird.firstWithin(Duration.ofMillis(1)))
                    .as("one instance delivered it, not each").isFalse();
            assertThat(breaches(social)).hasSize(1);
        }
    }

    /**
     * A hub whose scan waits ten minutes between looks, with the emergency clock cut to eight seconds, in real
     * time. A child in immediate danger starts it for police and the commune officer; neither accepts, so the
     * supervisor is warned at 75 % (6 s) and told of the breach at 8 s, for each referral. Each escalation must
     * arrive within two seconds of its moment (its {@code dueAt}): only the alarm that starting the clock rang,
     * and the next due time the scan reads after each look, can wake it that soon.
     */
    @Test
    void eachStageIsEscalatedWhenItComesDueNotAtTheScansNextLook() throws Exception {
        Map<String, Object> settings = new HashMap<>();
        settings.put("cphub.config-dir", ShortClocks.configWith("emergency", "PT8S").toString());
        settings.put("cphub.clocks.scan-interval", "10m");
        try (ConfigurableApplicationContext hub = hub("clocks-on-time", 34, settings)) {
            ObjectNode danger = SyntheticIncidents.incident(SyntheticIncidents.newEventId());
            danger.put("priority", 1);
            var answer = new PartnerClient(SharedStoreHubs.port(hub)).post(danger.toString());
            assertThat(answer.statusCode()).isEqualTo(202);
            UUID incident = UUID.fromString(new ObjectMapper().readTree(answer.body()).get("incidentId").asText());
            List<String> referrals = List.of(Referral.idFor(incident, "police").toString(),
                    Referral.idFor(incident, "social-affairs").toString());

            await().atMost(Duration.ofSeconds(40)).until(() -> emergencyEscalations(referrals).size() == 4);
            // the hub's time is the test's moved clock (other test classes in this JVM move it): its offset from
            // the time WireMock logs arrivals in
            Duration moved = Duration.between(Instant.now(), MovedTime.CLOCK.instant());
            for (LoggedRequest escalation : emergencyEscalations(referrals)) {
                JsonNode body = new ObjectMapper().readTree(escalation.getBodyAsString());
                Instant due = Instant.parse(body.get("dueAt").asText()).minus(moved);
                Instant arrived = escalation.getLoggedDate().toInstant();
                assertThat(Duration.between(due, arrived))
                        .as("the %s of %s's emergency clock, due %s, arrived %s", body.get("stage").asText(),
                                body.get("recipient").asText(), due, arrived)
                        .isBetween(Duration.ofMillis(-50), Duration.ofSeconds(2));
            }
            assertThat(emergencyEscalations(referrals)).extracting(r -> new ObjectMapper().readTree(r.getBodyAsString()).get("stage").asText())
                    .containsExactlyInAnyOrder("warning", "warning", "breach", "breach");
        }
    }

    /**
     * A store writer's batch holds the police referral's clock (its row lock, as a batch of deliveries that stops
     * clocks does until it commits) when the warnings come due. The scan neither waits for it nor holds up the
     * commune officer's warning: that one arrives while the lock is held. The police warning follows once the
     * writer lets go, within a second, not at the scan's next look ten minutes on. Each stage reaches the supervisor
     * once. (A scan that waited for the lock, holding the wave's other clocks, could close a deadlock with such a
     * batch; on PostgreSQL it would wait without end.)
     */
    @Test
    void aClockAStoreWriterHoldsDoesNotHoldUpTheWaveAndIsEscalatedOnceItIsLetGo() throws Exception {
        Map<String, Object> settings = new HashMap<>();
        settings.put("cphub.config-dir", ShortClocks.configWith("emergency", "PT8S").toString());
        settings.put("cphub.clocks.scan-interval", "10m");
        try (ConfigurableApplicationContext hub = hub("clocks-held", 35, settings); java.sql.Connection writer = STORE.connection()) {
            ObjectNode danger = SyntheticIncidents.incident(SyntheticIncidents.newEventId());
            danger.put("priority", 1);
            var answer = new PartnerClient(SharedStoreHubs.port(hub)).post(danger.toString());
            assertThat(answer.statusCode()).isEqualTo(202);
            UUID incident = UUID.fromString(new ObjectMapper().readTree(answer.body()).get("incidentId").asText());
            String police = Referral.idFor(incident, "police").toString();
            String social = Referral.idFor(incident, "social-affairs").toString();
            writer.setAutoCommit(false);
            await().atMost(Duration.ofSeconds(5)).until(() -> lock(writer, police));

            await().atMost(Duration.ofSeconds(20)).until(() -> emergencyEscalations(List.of(social)).size() == 1);
            assertThat(emergencyEscalations(List.of(police))).as("its clock is held").isEmpty();
            writer.rollback();
            Instant letGo = Instant.now();

            await().atMost(Duration.ofSeconds(20)).until(() -> emergencyEscalations(List.of(police)).size() == 2);
            LoggedRequest policeWarning = emergencyEscalations(List.of(police)).stream()
                    .filter(r -> r.getBodyAsString().contains("\"warning\"")).findFirst().orElseThrow();
            assertThat(Duration.between(letGo, policeWarning.getLoggedDate().toInstant()))
                    .as("the police warning, after the writer let its clock go").isLessThan(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(20)).until(() -> emergencyEscalations(List.of(social)).size() == 2);
            assertThat(emergencyEscalations(List.of(police, social))).extracting(r -> new ObjectMapper()
                            .readTree(r.getBodyAsString()).get("stage").asText())
                    .as("each stage once").containsExactlyInAnyOrder("warning", "warning", "breach", "breach");
        }
    }

    /** Locks the referral's emergency clock in the writer's transaction: false while triage has not started it. */
    private static boolean lock(java.sql.Connection writer, String referralId) throws java.sql.SQLException {
        try (var select = writer.prepareStatement("select clock from referral_clock where referral_id = ? and clock = 'emergency' for update")) {
            select.setString(1, referralId);
            return select.executeQuery().next();
        }
    }

    private static List<LoggedRequest> emergencyEscalations(List<String> referrals) {
        return PARTNERS.findAll(postRequestedFor(urlEqualTo("/supervisor"))
                        .withHeader("X-CPHub-Message-Kind", equalTo("clock-escalation"))
                        .withRequestBody(matchingJsonPath("$.clock", equalTo("emergency"))))
                .stream().filter(r -> referrals.stream().anyMatch(id -> r.getBodyAsString().contains(id))).toList();
    }

    private static List<LoggedRequest> breaches(String referralId) {
        return PARTNERS.findAll(postRequestedFor(urlEqualTo("/supervisor"))
                .withRequestBody(matchingJsonPath("$.referralId", equalTo(referralId)))
                .withRequestBody(matchingJsonPath("$.clock", equalTo("emergency")))
                .withRequestBody(matchingJsonPath("$.stage", equalTo("breach"))));
    }

    private static int port(ConfigurableApplicationContext hub) {
        return SharedStoreHubs.port(hub);
    }

    private static ConfigurableApplicationContext hub(String name, int serverId) throws Exception {
        return hub(name, serverId, Map.of());
    }

    private static ConfigurableApplicationContext hub(String name, int serverId, Map<String, Object> more) throws Exception {
        Map<String, Object> settings = new HashMap<>();
        settings.put("POLICE_INTAKE_URL", PARTNERS.baseUrl() + "/police");
        settings.put("SOCIAL_AFFAIRS_WEBHOOK_URL", PARTNERS.baseUrl() + "/social");
        settings.put("HOTLINE_CRM_WEBHOOK_URL", PARTNERS.baseUrl() + "/crm");
        settings.put("HOSPITAL_BAICHAY_WEBHOOK_URL", PARTNERS.baseUrl() + "/hospital");
        settings.put("CP_SUPERVISOR_WEBHOOK_URL", PARTNERS.baseUrl() + "/supervisor");
        settings.put("db-scheduler.polling-interval", "500ms");
        settings.put("cphub.clocks.scan-interval", "500ms");
        settings.putAll(more);
        return STORE.start(name, serverId, settings);
    }
}

package vn.quangninh.cphub.routing;

import vn.quangninh.cphub.model.Referral;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import vn.quangninh.cphub.ConsoleClient;
import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.store.Journey;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator edits config/routing.yaml on a running hub: a valid change routes the next incident the new
 * way without a restart; a broken file is refused and the rules in force keep routing; an incident received
 * before the change is triaged again on an operator's request, and only its new recipient gets it.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RoutingReloadTest extends HubTestSupport {

    private static final Path CONFIG;

    static {
        try {
            CONFIG = Files.createTempDirectory("cphub-reload-config");
            for (String name : new String[] {"partners.yaml", "routing.yaml", "clocks.yaml", "sites.yaml"}) {
                Files.copy(Path.of("config", name), CONFIG.resolve(name));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void ownConfig(DynamicPropertyRegistry registry) throws IOException {
        secondHub(registry, "cphub-reload", 11, true);
        registry.add("cphub.config-dir", CONFIG::toString);
    }

    @Autowired
    RoutingRules rules;

    @Test
    void aValidChangeTakesEffectWithoutRestartAndABrokenOneIsRefused() throws Exception {
        String before = rules.getVersion();
        String policeOnly = """
                profiles:
                  police-intake: {groups: [identity, contact, narrative, evidence, location]}
                rules:
                  - name: everything-to-police
                    legalBasis: crime_prevention
                    send: [{partner: police, profile: police-intake}]
                """;
        Files.writeString(CONFIG.resolve("routing.yaml"), policeOnly);
        await().atMost(Duration.ofSeconds(10)).until(() -> !rules.getVersion().equals(before));

        String incidentId = json(postIncident(incident(newEventId())).body()).get("incidentId").asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> delivered("/intake", incidentId, "police"));
        // triage records every referral it makes before it sends any: once police has theirs, the journey is complete
        assertThat(steps(incidentId, "social-affairs")).as("the new rules send to police only: no referral")
                .doesNotContain(vn.quangninh.cphub.store.Journey.Step.ROUTED);
        assertThat(steps(incidentId, "police")).contains(vn.quangninh.cphub.store.Journey.Step.ROUTED);
        assertThat(delivered(SOCIAL_AFFAIRS_PATH, incidentId, "social-affairs")).isFalse();

        String applied = rules.getVersion();
        Files.writeString(CONFIG.resolve("routing.yaml"), policeOnly.replace("partner: police", "partner: polise"));
        await().atMost(Duration.ofSeconds(10)).until(() -> rules.getLastRefusal().contains("partner 'polise'"));
        assertThat(rules.getLastRefusal()).contains("line 6");
        assertThat(rules.getVersion()).isEqualTo(applied);

        String next = json(postIncident(incident(newEventId())).body()).get("incidentId").asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> delivered("/intake", next, "police"));
    }

    @Test
    void afterARoutingChangeAnOperatorHasAnIncidentTriagedAgainAndOnlyItsNewRecipientGetsIt() throws Exception {
        String rules = """
                # %s
                profiles:
                  police-intake: {groups: [identity, contact, narrative, evidence, location]}
                  commune-officer: {groups: [identity, contact, medical, narrative, evidence, location]}
                rules:
                  - name: everything-to-police
                    legalBasis: crime_prevention
                    send: [{partner: police, profile: police-intake}]
                """;
        String before = this.rules.getVersion();
        Files.writeString(CONFIG.resolve("routing.yaml"), rules.formatted("re-triage, police only"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !this.rules.getVersion().equals(before));
        String incidentId = json(postIncident(incident(newEventId())).body()).get("incidentId").asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> delivered("/intake", incidentId, "police"));

        ConsoleClient operator = new ConsoleClient(port, "operator");
        String again = "{\"reason\":\"routing.yaml now sends such reports to the commune (ticket 7)\"}";
        assertThat(new ConsoleClient(port, "viewer").post("/api/ops/v1/incidents/" + incidentId + "/retriage", again)
                .statusCode()).isEqualTo(403);
        assertThat(operator.post("/api/ops/v1/incidents/" + UUID.randomUUID() + "/retriage", again).statusCode()).isEqualTo(404);
        HttpResponse<String> unchanged = operator.post("/api/ops/v1/incidents/" + incidentId + "/retriage", again);
        assertThat(unchanged.statusCode()).as(unchanged.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> steps(incidentId).contains(Journey.Step.RETRIAGED));

        String policeOnly = this.rules.getVersion();
        Files.writeString(CONFIG.resolve("routing.yaml"), rules.formatted("re-triage, police and the commune") + """
                  - name: everything-to-the-commune
                    legalBasis: crime_prevention
                    send: [{partner: social-affairs, profile: commune-officer}]
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> !this.rules.getVersion().equals(policeOnly));
        assertThat(delivered(SOCIAL_AFFAIRS_PATH, incidentId, "social-affairs")).as("a rule changes no past incident by itself").isFalse();

        HttpResponse<String> retriaged = operator.post("/api/ops/v1/incidents/" + incidentId + "/retriage", again);
        assertThat(retriaged.statusCode()).as(retriaged.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> delivered(SOCIAL_AFFAIRS_PATH, incidentId, "social-affairs"));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> requests("/intake", incidentId, "police") == 1
                && requests(SOCIAL_AFFAIRS_PATH, incidentId, "social-affairs") == 1);
        assertThat(steps(incidentId, "social-affairs")).containsSubsequence(Journey.Step.ROUTED, Journey.Step.DELIVERED);
        assertThat(steps(incidentId)).filteredOn(step -> step == Journey.Step.RECEIVED).as("received once").hasSize(1);
        assertThat(new ConsoleClient(port, "viewer").get("/api/ops/v1/actions?limit=10").body()).contains("\"RETRIAGE\"", "ticket 7");
    }

    private static long requests(String path, String incidentId, String partner) {
        String referral = Referral.idFor(UUID.fromString(incidentId), partner).toString();
        return POLICE.findAll(postRequestedFor(urlEqualTo(path)).withHeader("Idempotency-Key", equalTo(referral))).size();
    }

    private static boolean delivered(String path, String incidentId, String partner) {
        String referral = Referral.idFor(UUID.fromString(incidentId), partner).toString();
        return !POLICE.findAll(postRequestedFor(urlEqualTo(path)).withHeader("Idempotency-Key", equalTo(referral))).isEmpty();
    }
}

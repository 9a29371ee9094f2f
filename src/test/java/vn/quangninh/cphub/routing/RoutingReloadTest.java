package vn.quangninh.cphub.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import vn.quangninh.cphub.HubTestSupport;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator edits config/routing.yaml on a running hub: a valid change routes the next incident the new
 * way without a restart; a broken file is refused and the rules in force keep routing.
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
        Thread.sleep(1_000);
        assertThat(delivered(SOCIAL_AFFAIRS_PATH, incidentId, "social-affairs")).as("the new rules send to police only").isFalse();

        String applied = rules.getVersion();
        Files.writeString(CONFIG.resolve("routing.yaml"), policeOnly.replace("partner: police", "partner: polise"));
        await().atMost(Duration.ofSeconds(10)).until(() -> rules.getLastRefusal().contains("partner 'polise'"));
        assertThat(rules.getLastRefusal()).contains("line 6");
        assertThat(rules.getVersion()).isEqualTo(applied);

        String next = json(postIncident(incident(newEventId())).body()).get("incidentId").asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> delivered("/intake", next, "police"));
    }

    private static boolean delivered(String path, String incidentId, String partner) {
        String referral = Referral.idFor(UUID.fromString(incidentId), partner).toString();
        return !POLICE.findAll(postRequestedFor(urlEqualTo(path)).withHeader("Idempotency-Key", equalTo(referral))).isEmpty();
    }
}

package vn.quangninh.cphub.connector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.TestKeys;
import vn.quangninh.cphub.model.Referral;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agency that accepts only clients with a certificate it trusts (mutual TLS): the partner's entry in
 * config/partners.yaml names the hub's key store and the agency's trust store, and nothing else changes.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class AgencyWebhookTlsTest extends HubTestSupport {

    private static final String PASSWORD = "test-only-password";
    private static final String TOKEN_LINE = "          token: \"${SOCIAL_AFFAIRS_WEBHOOK_TOKEN:dev-only-token-social-affairs-0001}\"\n";
    private static final Path HUB_KEY = TestKeys.keyPair("hub", "localhost", "dns:localhost,ip:127.0.0.1", PASSWORD);
    private static final Path AGENCY_KEY = TestKeys.keyPair("agency", "localhost", "dns:localhost,ip:127.0.0.1", PASSWORD);
    /** The social-affairs system, over HTTPS, refusing any client without the hub's certificate. */
    private static final WireMockServer AGENCY = new WireMockServer(WireMockConfiguration.options()
            .httpDisabled(true).dynamicHttpsPort()
            .keystorePath(AGENCY_KEY.toString()).keystorePassword(PASSWORD).keyManagerPassword(PASSWORD).keystoreType("PKCS12")
            .needClientAuth(true)
            .trustStorePath(HUB_KEY.toString()).trustStorePassword(PASSWORD).trustStoreType("PKCS12"));

    static {
        AGENCY.start();
        AGENCY.stubFor(post(urlEqualTo("/referrals")).willReturn(aResponse().withStatus(200)));
    }

    @DynamicPropertySource
    static void socialAffairsOverMutualTls(DynamicPropertyRegistry registry) throws IOException {
        secondHub(registry, "cphub-mtls", 9, true);
        Path config = Files.createTempDirectory("cphub-mtls-config");
        for (String name : new String[] {"routing.yaml", "clocks.yaml", "sites.yaml"}) {
            Files.copy(Path.of("config", name), config.resolve(name));
        }
        String partners = Files.readString(Path.of("config/partners.yaml"))
                .replace("${SOCIAL_AFFAIRS_WEBHOOK_URL:http://127.0.0.1:8089/social-affairs/referrals}",
                        "https://localhost:" + AGENCY.httpsPort() + "/referrals")
                .replace(TOKEN_LINE, TOKEN_LINE
                        + "        tls:\n"
                        + "          keyStore: " + HUB_KEY + "\n"
                        + "          keyStorePassword: " + PASSWORD + "\n"
                        + "          trustStore: " + AGENCY_KEY + "\n"
                        + "          trustStorePassword: " + PASSWORD + "\n");
        assertThat(partners).contains("keyStore: " + HUB_KEY);
        Files.writeString(config.resolve("partners.yaml"), partners);
        registry.add("cphub.config-dir", config::toString);
    }

    @AfterAll
    static void stopAgency() {
        AGENCY.stop();
    }

    @Test
    void theReferralReachesAnAgencyThatDemandsTheHubsCertificate() throws Exception {
        String incidentId = json(postIncident(incident(newEventId())).body()).get("incidentId").asText();
        String social = Referral.idFor(UUID.fromString(incidentId), "social-affairs").toString();
        await().atMost(Duration.ofSeconds(20)).until(() -> !AGENCY.findAll(postRequestedFor(urlEqualTo("/referrals"))
                .withHeader("Idempotency-Key", equalTo(social))).isEmpty());
    }
}

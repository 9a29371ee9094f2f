package vn.quangninh.cphub.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.HubProcess;
import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.SyntheticIncidents;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.routing.Referral;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged hub, killed with kill -9 while referrals are being delivered, restarted on the same
 * journal: police intake ends with every accepted incident's idempotency key.
 */
class CrashRecoveryIT {

    private static final int INCIDENTS = 200;

    private final WireMockServer police = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private HubProcess hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        police.stop();
    }

    @Test
    void everyAcceptedIncidentReachesPoliceAfterTheHubIsKilledMidDelivery() throws Exception {
        police.start();
        // slow enough that the kill lands while deliveries are in flight
        police.stubFor(post(urlEqualTo("/intake")).willReturn(aResponse().withStatus(200).withFixedDelay(40)));
        Path data = Files.createTempDirectory("cphub-crash");
        police.stubFor(post(urlMatching("/agency/.*")).willReturn(aResponse().withStatus(200)));
        Map<String, String> settings = new java.util.HashMap<>(HubProcess.agencyWebhooks(police.baseUrl()));
        settings.putAll(Map.of(
                "POLICE_INTAKE_URL", police.baseUrl() + "/intake",
                "CPHUB_BROKER_REDELIVERY_DELAY", "200ms",
                "CPHUB_BROKER_MAX_REDELIVERY_DELAY", "2s"));
        hub = new HubProcess(data, settings).start();

        PartnerClient partner = new PartnerClient(hub.port());
        Set<String> expectedKeys = new HashSet<>();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < INCIDENTS; i++) {
            String eventId = SyntheticIncidents.newEventId();
            statuses.add(partner.post(SyntheticIncidents.incident(eventId).toString()).statusCode());
            expectedKeys.add(Referral.idFor(Incident.idFor(PartnerClient.HOTLINE, eventId), "police").toString());
        }
        assertThat(statuses).as("every incident accepted").containsOnly(202);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> police.countRequestsMatching(postRequestedFor(urlEqualTo("/intake")).build()).getCount() >= 30);
        hub.kill();
        int deliveredBeforeKill = receivedKeys().size();
        assertThat(deliveredBeforeKill).as("the kill happened mid-delivery").isLessThan(INCIDENTS);

        hub = new HubProcess(data, settings).start();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> receivedKeys().containsAll(expectedKeys));

        List<String> all = allKeys();
        Set<String> distinct = new HashSet<>(all);
        assertThat(distinct).as("no idempotency key missing, none unknown").isEqualTo(expectedKeys);
        System.out.printf("crash test: %d accepted, %d delivered before kill -9, %d delivered in all, %d redelivered "
                + "with the same idempotency key%n", INCIDENTS, deliveredBeforeKill, distinct.size(), all.size() - distinct.size());
    }

    private Set<String> receivedKeys() {
        return new HashSet<>(allKeys());
    }

    private List<String> allKeys() {
        return police.findAll(postRequestedFor(urlEqualTo("/intake"))).stream()
                .map(r -> r.getHeader("Idempotency-Key")).filter(k -> k != null && !k.isBlank())
                .map(k -> UUID.fromString(k).toString()).toList();
    }
}

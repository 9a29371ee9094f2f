package vn.quangninh.cphub.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.SyntheticIncidents;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.routing.Referral;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged hub, killed with kill -9 while referrals are being delivered, restarted on the same
 * journal: police intake ends with every accepted incident's idempotency key.
 */
class CrashRecoveryIT extends PackagedHubFault {

    private static final int INCIDENTS = 200;

    @Test
    void everyAcceptedIncidentReachesPoliceAfterTheHubIsKilledMidDelivery() throws Exception {
        // slow enough that the kill lands while deliveries are in flight
        startHub("cphub-crash", aResponse().withStatus(200).withFixedDelay(40),
                Map.of("CPHUB_BROKER_REDELIVERY_DELAY", "200ms", "CPHUB_BROKER_MAX_REDELIVERY_DELAY", "2s"));

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

        hub.start(); // on the same journal and store
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

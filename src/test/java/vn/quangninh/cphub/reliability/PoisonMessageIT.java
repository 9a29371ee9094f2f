package vn.quangninh.cphub.reliability;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.SyntheticIncidents;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.model.Referral;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault 4 of the reliability suite, the poison message that kills the JVM: the packaged hub is killed with
 * {@code kill -9} every time it is delivering one referral (police holds that request open), and restarted on
 * the same journal. After the last attempt the referral goes to {@code cphub.dlq.police} with the reason —
 * not round and round for ever — and the hub delivers the next incident as usual. (A message that fails
 * every attempt without killing anything: IncidentDeliveryTest and TriageRedeliveryTest.)
 */
class PoisonMessageIT extends PackagedHubFault {

    private static final int MAX_ATTEMPTS = 2;

    @Test
    void aReferralThatKillsTheHubEveryTimeEndsInItsDlqAfterTheLastAttempt() throws Exception {
        startHub("cphub-poison", Map.of(
                "CPHUB_DELIVERY_MAX_ATTEMPTS", String.valueOf(MAX_ATTEMPTS),
                "POLICE_INTAKE_RESPONSE_TIMEOUT_MS", "120000"));
        String poison = SyntheticIncidents.newEventId();
        String key = Referral.idFor(Incident.idFor(PartnerClient.HOTLINE, poison), "police").toString();
        // the hub dies before police answers this one (the kill comes well inside the 60 s)
        police.stubFor(post(urlEqualTo("/intake")).atPriority(1).withHeader("Idempotency-Key", equalTo(key))
                .willReturn(aResponse().withStatus(200).withFixedDelay(60_000)));

        assertThat(new PartnerClient(hub.port()).post(SyntheticIncidents.incident(poison).toString()).statusCode()).isEqualTo(202);
        for (int kill = 1; kill <= MAX_ATTEMPTS; kill++) {
            int attempts = kill;
            await().atMost(Duration.ofSeconds(90)).until(() -> requestsFor(key) >= attempts);
            hub.kill();
            hub.start();
        }

        String dlqLine = "Referral " + key + " of incident " + Incident.idFor(PartnerClient.HOTLINE, poison)
                + " to police moved to cphub.dlq.police";
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(hub.log()).contains(dlqLine));
        String next = SyntheticIncidents.newEventId();
        assertThat(new PartnerClient(hub.port()).post(SyntheticIncidents.incident(next).toString()).statusCode()).isEqualTo(202);
        String nextKey = Referral.idFor(Incident.idFor(PartnerClient.HOTLINE, next), "police").toString();
        await().atMost(Duration.ofSeconds(60)).until(() -> requestsFor(nextKey) == 1);

        System.out.printf("%nfault: a referral that kills the hub (kill -9) whenever it is being delivered, %d attempts allowed%n"
                + "  attempts that reached police: %d; then cphub.dlq.police, and the next incident was delivered%n",
                MAX_ATTEMPTS, requestsFor(key));
        FaultTable.add("a referral that kills the hub whenever it is delivered", 1, 0, 0, 0, requestsFor(key),
                MAX_ATTEMPTS + " attempts allowed; then cphub.dlq.police with the reason, and the next incident delivered");
        assertThat(requestsFor(key)).as("no attempt after the last one").isEqualTo(MAX_ATTEMPTS);
    }

    private int requestsFor(String key) {
        return police.findAll(postRequestedFor(urlEqualTo("/intake")).withHeader("Idempotency-Key", equalTo(key))).size();
    }
}

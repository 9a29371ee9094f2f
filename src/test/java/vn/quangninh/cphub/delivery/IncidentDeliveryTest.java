package vn.quangninh.cphub.delivery;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import jakarta.jms.Message;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.SinkDeliveries;
import vn.quangninh.cphub.SyntheticIncidents;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.model.Referral;
import vn.quangninh.cphub.store.Journey.Entry;
import vn.quangninh.cphub.store.Journey.Step;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A partner's incident through the whole hub to the police intake stub. */
class IncidentDeliveryTest extends HubTestSupport {

    @Autowired
    CamelContext camel;

    @Test
    void postedIncidentReachesPoliceOnceWithItsIdempotencyKeyAndOnlyItsProfileFields() throws Exception {
        String eventId = newEventId();
        String referralId = Referral.idFor(Incident.idFor(HOTLINE, eventId), "police").toString();
        SinkDeliveries toPolice = SinkDeliveries.of(camel, "deliver-police", referralId);
        var response = postIncident(incident(eventId));

        assertThat(response.statusCode()).isEqualTo(202);
        String incidentId = json(response.body()).get("incidentId").asText();
        assertThat(incidentId).isEqualTo(Incident.idFor(HOTLINE, eventId).toString());

        assertThat(toPolice.firstWithin(Duration.ofSeconds(15))).as("delivered").isTrue();
        assertThat(toPolice.noSecondWithin(Duration.ofMillis(500))).as("and never a second time").isTrue();
        List<LoggedRequest> received = policeRequestsWithKey(referralId);
        assertThat(received).hasSize(1);

        JsonNode referral = json(received.get(0).getBodyAsString());
        assertThat(referral.get("referralId").asText()).isEqualTo(referralId);
        assertThat(referral.get("profile").asText()).isEqualTo("police-intake");
        JsonNode delivered = referral.get("incident");
        assertThat(delivered.get("incidentId").asText()).isEqualTo(incidentId);
        assertThat(delivered.get("subjects").get(0).get("name").asText()).isEqualTo("Synthetic Child Alpha");
        assertThat(delivered.has("codes")).as("medical codes are withheld from police").isFalse();
        assertThat(referral.get("withheld").toString()).isEqualTo("[\"medical\"]");
        assertThat(received.get(0).getHeader("Content-Type")).startsWith("application/json");
        assertThat(received.get(0).getHeaders().keys()).as("no hub internals travel to the partner")
                .noneMatch(h -> h.toLowerCase().startsWith("cphub") || h.startsWith("JMS") || h.startsWith("_AMQ")
                        || h.equalsIgnoreCase("Authorization"));

        await().atMost(Duration.ofSeconds(5)).until(() -> steps(incidentId, "police").contains(Step.DELIVERED));
        // the referral may reach the partner before triage has recorded ROUTED (triage goes on with other recipients)
        assertThat(steps(incidentId, "police")).containsExactlyInAnyOrder(Step.RECEIVED, Step.ROUTED, Step.ATTEMPT, Step.DELIVERED);
    }

    @Test
    void policeAnswering503TwiceThen200GetsItOnceAfterThreeRecordedAttempts() throws Exception {
        String eventId = newEventId();
        String scenario = "flaky-" + eventId;
        var forThisEvent = matchingJsonPath("$.incident.source.eventId", equalTo(eventId));
        POLICE.stubFor(post(urlEqualTo("/intake")).withRequestBody(forThisEvent).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        POLICE.stubFor(post(urlEqualTo("/intake")).withRequestBody(forThisEvent).inScenario(scenario)
                .whenScenarioStateIs("second").willReturn(aResponse().withStatus(503)).willSetStateTo("third"));
        POLICE.stubFor(post(urlEqualTo("/intake")).withRequestBody(forThisEvent).inScenario(scenario)
                .whenScenarioStateIs("third").willReturn(aResponse().withStatus(200)).willSetStateTo("done"));

        String incidentId = json(postIncident(incident(eventId)).body()).get("incidentId").asText();

        await().atMost(Duration.ofSeconds(20)).until(() -> steps(incidentId, "police").contains(Step.DELIVERED));
        List<Entry> attempts = journey.ofIncident(incidentId).stream().filter(e -> e.step() == Step.ATTEMPT && "police".equals(e.partnerId())).toList();
        assertThat(attempts).extracting(Entry::attempt).containsExactly(1, 2, 3);
        assertThat(attempts).extracting(Entry::outcome).containsExactly("503", "503", "200");
        assertThat(policeRequestsForEvent(eventId)).hasSize(3)
                .extracting(r -> r.getHeader("Idempotency-Key")).containsOnly(attempts.get(0).referralId());
        assertThat(steps(incidentId)).doesNotContain(Step.DEAD_LETTERED);
    }

    @Test
    void policeRefusingWith400SendsTheReferralToItsDlqWithTheReasonAndNoRetry() throws Exception {
        String eventId = newEventId();
        POLICE.stubFor(post(urlEqualTo("/intake")).withRequestBody(matchingJsonPath("$.incident.source.eventId", equalTo(eventId)))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"district unknown\"}")));
        String referralId = Referral.idFor(Incident.idFor(HOTLINE, eventId), "police").toString();
        SinkDeliveries toPolice = SinkDeliveries.of(camel, "deliver-police", referralId);

        String incidentId = json(postIncident(incident(eventId)).body()).get("incidentId").asText();

        jms.setReceiveTimeout(15_000);
        Message dead = jms.receiveSelected("cphub.dlq.police", "cphubReferralId = '" + referralId + "'");
        assertThat(dead).as("referral in cphub.dlq.police").isNotNull();
        assertThat(dead.getIntProperty("cphubFailureStatus")).isEqualTo(400);
        assertThat(dead.getStringProperty("cphubFailureReason")).contains("HTTP 400")
                .as("the partner's answer may echo the referral: not kept where viewers can read")
                .doesNotContain("district unknown");
        assertThat(dead.getIntProperty("cphubAttempts")).isEqualTo(1);
        assertThat(dead.getBody(String.class)).contains(referralId);

        assertThat(toPolice.noSecondWithin(Duration.ofMillis(700))).as("no retry (the test back-off is shorter)").isTrue();
        assertThat(policeRequestsForEvent(eventId)).hasSize(1);
        assertThat(steps(incidentId, "police")).containsExactlyInAnyOrder(Step.RECEIVED, Step.ROUTED, Step.ATTEMPT, Step.DEAD_LETTERED);
    }

    @Test
    void theSameSourceEventPostedTwiceIsDeliveredOnce() throws Exception {
        String eventId = newEventId();
        ObjectNode incident = incident(eventId);
        SinkDeliveries toPolice = SinkDeliveries.of(camel, "deliver-police",
                Referral.idFor(Incident.idFor(HOTLINE, eventId), "police").toString());
        var first = postIncident(incident);
        var second = postIncident(incident);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        String incidentId = json(first.body()).get("incidentId").asText();
        assertThat(json(second.body()).get("incidentId").asText()).isEqualTo(incidentId);

        await().atMost(Duration.ofSeconds(15)).until(() -> steps(incidentId).contains(Step.DUPLICATE)
                && steps(incidentId, "police").contains(Step.DELIVERED));
        assertThat(toPolice.firstWithin(Duration.ofSeconds(5))).isTrue();
        assertThat(toPolice.noSecondWithin(Duration.ofMillis(500))).as("the copy is not delivered").isTrue();
        assertThat(policeRequestsForEvent(eventId)).hasSize(1);
    }

    @Test
    void anIncidentNoRuleMatchesIsKeptInUnroutedNotDropped() throws Exception {
        String eventId = newEventId();
        String incidentId = json(postIncident(SyntheticIncidents.unroutedIncident(eventId)).body()).get("incidentId").asText();

        jms.setReceiveTimeout(15_000);
        Message kept = jms.receiveSelected("cphub.unrouted", "cphubIncidentId = '" + incidentId + "'");
        assertThat(kept).isNotNull();
        assertThat(json(kept.getBody(String.class)).get("source").get("eventId").asText()).isEqualTo(eventId);
        assertThat(steps(incidentId)).containsExactly(Step.RECEIVED, Step.UNROUTED);
        assertThat(policeRequestsForEvent(eventId)).isEmpty();
    }

    @Test
    void theContractsPartnersBuildAgainstAreServed() throws Exception {
        var schema = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + port + "/schema/incident-v1.schema.json")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(schema.statusCode()).isEqualTo(200);
        assertThat(json(schema.body()).get("$id").asText()).isEqualTo("urn:cphub:schema:incident:v1");
        var openapi = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + port + "/api/v1/openapi.yaml")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(openapi.statusCode()).isEqualTo(200);
        assertThat(openapi.body()).contains("/api/v1/incidents");
    }

}

package vn.quangninh.cphub.ops;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.ConsoleClient;
import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.model.Referral;
import vn.quangninh.cphub.store.Journey.Step;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operations API over real HTTP with the development console users, on the running hub (embedded broker,
 * H2): a referral police refused is in its dead-letter queue by its ids and failure, never its content; a viewer
 * may look but not act, an operator retries with a reason (police gets the same Idempotency-Key again), only an
 * admin discards; each action is recorded with the user and reason and appears in the referral's journey; every
 * refusal says why.
 */
class OperationsApiTest extends HubTestSupport {

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    private static final List<String> CHILD = List.of("Synthetic Child Alpha", "2016-03-01", "0900000001", "Synthetic Street");

    /** Posts an incident police refuses (422): its police referral ends in cphub.dlq.police. Its referral id. */
    private String deadLetteredReferral(String eventId) throws Exception {
        POLICE.stubFor(post(urlEqualTo("/intake")).withRequestBody(matchingJsonPath("$.incident.source.eventId", equalTo(eventId)))
                .willReturn(aResponse().withStatus(422)));
        String incidentId = Incident.idFor(HOTLINE, eventId).toString();
        assertThat(postIncident(incident(eventId)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> steps(incidentId, "police").contains(Step.DEAD_LETTERED));
        return Referral.idFor(Incident.idFor(HOTLINE, eventId), "police").toString();
    }

    private JsonNode deadLetter(ConsoleClient console, String referralId) throws Exception {
        HttpResponse<String> answer = console.get("/api/ops/v1/dead-letters/police");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        CHILD.forEach(identity -> assertThat(answer.body()).as("no content in the list").doesNotContain(identity));
        for (JsonNode letter : json(answer.body())) {
            if (referralId.equals(letter.path("referralId").asText())) {
                return letter;
            }
        }
        return null;
    }

    @Test
    void anOperatorRetriesAReferralPoliceRefusedWithAReasonAndItIsDeliveredAgainWithTheSameKey() throws Exception {
        String eventId = newEventId();
        String referralId = deadLetteredReferral(eventId);
        ConsoleClient viewer = new ConsoleClient(port, "viewer");
        ConsoleClient operator = new ConsoleClient(port, "operator");

        JsonNode letter = deadLetter(viewer, referralId);
        assertThat(letter).as("the viewer sees the dead letter by its ids").isNotNull();
        assertThat(letter.path("incidentId").asText()).isEqualTo(Incident.idFor(HOTLINE, eventId).toString());
        assertThat(letter.path("failureStatus").asInt()).isEqualTo(422);
        assertThat(letter.path("failureReason").asText()).contains("partner refused the referral");
        assertThat(letter.path("attempts").asInt()).isEqualTo(1);
        assertThat(letter.path("deadLetteredAt").asText()).isNotBlank();
        long messageId = letter.path("messageId").asLong();

        JsonNode queues = json(viewer.get("/api/ops/v1/queues").body());
        JsonNode dlq = null;
        for (JsonNode queue : queues) {
            if (queue.path("queue").asText().equals("cphub.dlq.police")) {
                dlq = queue;
            }
        }
        assertThat(dlq).isNotNull();
        assertThat(dlq.path("deadLetter").asBoolean()).isTrue();
        assertThat(dlq.path("messages").asLong()).isPositive();
        JsonNode police = null;
        for (JsonNode partner : json(viewer.get("/api/ops/v1/partners").body())) {
            if (partner.path("partner").asText().equals("police")) {
                police = partner;
            }
        }
        assertThat(police).isNotNull();
        assertThat(police.path("routine").path("circuit").asText()).as("a refusal does not open the circuit").isEqualTo("closed");
        assertThat(police.path("deadLetters").asLong()).isPositive();
        assertThat(police.path("lastFailure").asText()).isEqualTo("HTTP 422");

        String retry = "{\"messageId\":" + messageId + ",\"reason\":\"police fixed their schema (ticket 42)\"}";
        HttpResponse<String> byViewer = viewer.post("/api/ops/v1/dead-letters/police/retry", retry);
        assertThat(byViewer.statusCode()).isEqualTo(403);
        assertThat(json(byViewer.body()).path("reason").asText()).contains("needs the operator or admin role", "[viewer]");
        HttpResponse<String> noToken = new ConsoleClient(port, "operator").postWithoutCsrf("/api/ops/v1/dead-letters/police/retry", retry);
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(json(noToken.body()).path("reason").asText()).contains("CSRF token");
        HttpResponse<String> noReason = operator.post("/api/ops/v1/dead-letters/police/retry", "{\"messageId\":" + messageId + "}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(json(noReason.body()).path("reason").asText()).contains("reason is required");
        assertThat(deadLetter(viewer, referralId)).as("nothing refused changed anything").isNotNull();

        POLICE.stubFor(post(urlEqualTo("/intake")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.incident.source.eventId", equalTo(eventId))).willReturn(aResponse().withStatus(200)));
        HttpResponse<String> retried = operator.post("/api/ops/v1/dead-letters/police/retry", retry);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        JsonNode outcome = json(retried.body());
        assertThat(outcome.path("count").asInt()).isEqualTo(1);
        assertThat(outcome.path("referralIds").get(0).asText()).isEqualTo(referralId);

        await().atMost(Duration.ofSeconds(20)).until(() -> policeRequestsWithKey(referralId).size() == 2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> policeRequestsWithKey(referralId).size() == 2);
        assertThat(policeRequestsWithKey(referralId).stream().map(r -> r.getBodyAsString()).distinct())
                .as("the same referral, same key, same body").hasSize(1);
        String incidentId = Incident.idFor(HOTLINE, eventId).toString();
        await().atMost(Duration.ofSeconds(10)).until(() -> steps(incidentId, "police").contains(Step.DELIVERED));
        assertThat(steps(incidentId, "police")).containsSubsequence(Step.DEAD_LETTERED, Step.RETRIED, Step.DELIVERED);

        JsonNode journey = json(viewer.get("/api/ops/v1/journeys/" + referralId).body());
        assertThat(journey.path("kind").asText()).isEqualTo("referral");
        assertThat(journey.path("steps").toString()).contains("\"RETRIED\"", "by operator");
        JsonNode action = json(viewer.get("/api/ops/v1/actions?limit=20").body()).findParents("id").stream()
                .filter(a -> a.path("id").asLong() == outcome.path("actionId").asLong()).findFirst().orElseThrow();
        assertThat(action.path("user").asText()).isEqualTo("operator");
        assertThat(action.path("action").asText()).isEqualTo("RETRY");
        assertThat(action.path("reason").asText()).isEqualTo("police fixed their schema (ticket 42)");
    }

    @Test
    void anOperatorSendsADeliveredReferralAgainAsDeliveredAndOnlyAnAdminSeesWhatItSaid() throws Exception {
        String eventId = newEventId();
        String incidentId = Incident.idFor(HOTLINE, eventId).toString();
        String referralId = Referral.idFor(Incident.idFor(HOTLINE, eventId), "police").toString();
        assertThat(postIncident(incident(eventId)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> steps(incidentId, "police").contains(Step.DELIVERED));
        String sealed = jdbc.queryForObject("select sealed from delivered_content where referral_id = ?", String.class, referralId);
        String opened = new String(java.util.Base64.getDecoder().decode(sealed), java.nio.charset.StandardCharsets.ISO_8859_1);
        CHILD.forEach(identity -> assertThat(opened).as("sealed at rest").doesNotContain(identity));

        ConsoleClient viewer = new ConsoleClient(port, "viewer");
        ConsoleClient operator = new ConsoleClient(port, "operator");
        ConsoleClient admin = new ConsoleClient(port, "admin");
        String replay = "{\"reason\":\"police lost their copy (call 2026-11-30)\"}";
        assertThat(viewer.post("/api/ops/v1/referrals/" + referralId + "/replay", replay).statusCode()).isEqualTo(403);
        assertThat(operator.post("/api/ops/v1/referrals/" + referralId + "/replay", "{}").statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = operator.post("/api/ops/v1/referrals/" + java.util.UUID.randomUUID() + "/replay", replay);
        assertThat(unknown.statusCode()).isEqualTo(404);

        HttpResponse<String> replayed = operator.post("/api/ops/v1/referrals/" + referralId + "/replay", replay);
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        assertThat(json(replayed.body()).path("queue").asText()).isEqualTo("cphub.deliver.police");
        await().atMost(Duration.ofSeconds(20)).until(() -> policeRequestsWithKey(referralId).size() == 2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> policeRequestsWithKey(referralId).size() == 2);
        assertThat(policeRequestsWithKey(referralId).stream().map(r -> r.getBodyAsString()).distinct())
                .as("exactly what was delivered, with the same key").hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> steps(incidentId, "police").stream()
                .filter(step -> step == Step.DELIVERED).count() == 2);
        assertThat(steps(incidentId, "police")).containsSubsequence(Step.DELIVERED, Step.REPLAYED, Step.DELIVERED);

        String view = "{\"reason\":\"police ask what they were sent\"}";
        HttpResponse<String> byOperator = operator.post("/api/ops/v1/referrals/" + referralId + "/content", view);
        assertThat(byOperator.statusCode()).isEqualTo(403);
        assertThat(json(byOperator.body()).path("reason").asText()).contains("content is for the admin role");
        HttpResponse<String> shown = admin.post("/api/ops/v1/referrals/" + referralId + "/content", view);
        assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
        assertThat(json(shown.body()).path("content").path("referralId").asText()).isEqualTo(referralId);
        assertThat(json(shown.body()).path("content").toString())
                .isEqualTo(json(policeRequestsWithKey(referralId).get(0).getBodyAsString()).toString());
        String actions = viewer.get("/api/ops/v1/actions?limit=20").body();
        assertThat(actions).contains("\"REPLAY\"", "\"VIEW_CONTENT\"", "police lost their copy");
    }

    @Test
    void retryAllPutsBackEveryDeadLetterOfThePartner() throws Exception {
        String first = newEventId();
        String second = newEventId();
        String a = deadLetteredReferral(first);
        String b = deadLetteredReferral(second);
        for (String eventId : List.of(first, second)) {
            POLICE.stubFor(post(urlEqualTo("/intake")).atPriority(1)
                    .withRequestBody(matchingJsonPath("$.incident.source.eventId", equalTo(eventId))).willReturn(aResponse().withStatus(200)));
        }
        HttpResponse<String> retried = new ConsoleClient(port, "operator").post("/api/ops/v1/dead-letters/police/retry",
                "{\"reason\":\"police back after maintenance\"}");
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        JsonNode outcome = json(retried.body());
        assertThat(outcome.path("action").asText()).isEqualTo("RETRY_ALL");
        assertThat(outcome.path("referralIds").toString()).contains(a, b);
        await().atMost(Duration.ofSeconds(20)).until(() -> policeRequestsWithKey(a).size() == 2 && policeRequestsWithKey(b).size() == 2);
    }

    @Test
    void anOperatorMovesADeadLetterToThePartnersEmergencyLaneAndItIsDeliveredFromThere() throws Exception {
        String eventId = newEventId();
        String referralId = deadLetteredReferral(eventId);
        ConsoleClient operator = new ConsoleClient(port, "operator");
        long messageId = deadLetter(operator, referralId).path("messageId").asLong();
        POLICE.stubFor(post(urlEqualTo("/intake")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.incident.source.eventId", equalTo(eventId))).willReturn(aResponse().withStatus(200)));
        long urgent = messagesAdded("cphub.deliver.police.urgent");

        assertThat(new ConsoleClient(port, "viewer").post("/api/ops/v1/dead-letters/police/move",
                "{\"messageId\":" + messageId + ",\"reason\":\"x\"}").statusCode()).isEqualTo(403);
        assertThat(operator.post("/api/ops/v1/dead-letters/police/move", "{\"reason\":\"all\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> moved = operator.post("/api/ops/v1/dead-letters/police/move",
                "{\"messageId\":" + messageId + ",\"reason\":\"the child is in danger now (call 113)\"}");

        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(json(moved.body()).path("action").asText()).isEqualTo("MOVE_TO_EMERGENCY_LANE");
        assertThat(messagesAdded("cphub.deliver.police.urgent")).as("through the emergency lane").isEqualTo(urgent + 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> policeRequestsWithKey(referralId).size() == 2);
        assertThat(deadLetter(operator, referralId)).as("gone from the DLQ").isNull();
        String incidentId = Incident.idFor(HOTLINE, eventId).toString();
        await().atMost(Duration.ofSeconds(10)).until(() -> steps(incidentId, "police").contains(Step.DELIVERED));
        assertThat(steps(incidentId, "police")).containsSubsequence(Step.DEAD_LETTERED, Step.RETRIED, Step.DELIVERED);
    }

    @Test
    void onlyAnAdminDiscardsAndAlwaysWithAReason() throws Exception {
        String referralId = deadLetteredReferral(newEventId());
        ConsoleClient operator = new ConsoleClient(port, "operator");
        ConsoleClient admin = new ConsoleClient(port, "admin");
        long messageId = deadLetter(admin, referralId).path("messageId").asLong();
        String discard = "{\"messageId\":" + messageId + ",\"reason\":\"a test report sent by mistake\"}";

        HttpResponse<String> byOperator = operator.post("/api/ops/v1/dead-letters/police/discard", discard);
        assertThat(byOperator.statusCode()).isEqualTo(403);
        assertThat(json(byOperator.body()).path("reason").asText()).contains("needs the admin role", "[operator]");
        assertThat(admin.post("/api/ops/v1/dead-letters/police/discard", "{\"reason\":\"all of them\"}").statusCode())
                .as("never a whole queue").isEqualTo(400);
        assertThat(admin.post("/api/ops/v1/dead-letters/police/discard", "not json").statusCode()).isEqualTo(400);

        HttpResponse<String> discarded = admin.post("/api/ops/v1/dead-letters/police/discard", discard);
        assertThat(discarded.statusCode()).as(discarded.body()).isEqualTo(200);
        assertThat(deadLetter(admin, referralId)).as("gone from the DLQ").isNull();
        HttpResponse<String> again = admin.post("/api/ops/v1/dead-letters/police/discard", discard);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(json(again.body()).path("reason").asText()).contains("is not in cphub.dlq.police");
        assertThat(json(admin.get("/api/ops/v1/journeys/" + referralId).body()).path("steps").toString()).contains("\"DISCARDED\"");
    }

    @Test
    void onlyAnAdminSeesWhatADeadLetterSaysWithAReasonAndTheViewIsRecorded() throws Exception {
        String referralId = deadLetteredReferral(newEventId());
        ConsoleClient admin = new ConsoleClient(port, "admin");
        long messageId = deadLetter(admin, referralId).path("messageId").asLong();
        String path = "/api/ops/v1/dead-letters/police/" + messageId + "/content";
        String why = "{\"reason\":\"police says field x is wrong (ticket 7)\"}";

        for (String role : List.of("viewer", "operator")) {
            HttpResponse<String> refused = new ConsoleClient(port, role).post(path, why);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(json(refused.body()).path("reason").asText()).contains("content is for the admin role", "[" + role + "]");
            CHILD.forEach(identity -> assertThat(refused.body()).doesNotContain(identity));
        }
        assertThat(admin.post(path, "{}").statusCode()).as("no look without a reason").isEqualTo(400);

        HttpResponse<String> shown = admin.post(path, why);
        assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
        JsonNode content = json(shown.body()).path("content");
        assertThat(content.path("referralId").asText()).isEqualTo(referralId);
        assertThat(content.toString()).as("police's profile: identity").contains("Synthetic Child Alpha")
                .as("police's profile: not the medical codes").doesNotContain("T74.1");
        assertThat(deadLetter(admin, referralId)).as("a look leaves it in the queue").isNotNull();
        JsonNode recorded = json(admin.get("/api/ops/v1/actions?limit=5").body()).get(0);
        assertThat(recorded.path("action").asText()).isEqualTo("VIEW_CONTENT");
        assertThat(recorded.path("user").asText()).isEqualTo("admin");
        assertThat(recorded.path("reason").asText()).isEqualTo("police says field x is wrong (ticket 7)");
        assertThat(recorded.path("target").asText()).contains(referralId);
    }

    @Test
    void refusalsSayWhy() throws Exception {
        HttpResponse<String> anonymous = new ConsoleClient(port, null).get("/api/ops/v1/queues");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json(anonymous.body()).path("reason").asText()).contains("sign in");
        ConsoleClient viewer = new ConsoleClient(port, "viewer");
        HttpResponse<String> unknown = viewer.get("/api/ops/v1/dead-letters/nobody");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown.body()).path("reason").asText()).contains("no partner nobody");
        HttpResponse<String> noJourney = viewer.get("/api/ops/v1/journeys/00000000-0000-0000-0000-000000000000");
        assertThat(noJourney.statusCode()).isEqualTo(404);
        assertThat(json(noJourney.body()).path("reason").asText()).contains("no incident or referral");
        HttpResponse<String> contract = viewer.get("/api/ops/v1/openapi.yaml");
        assertThat(contract.statusCode()).isEqualTo(200);
        assertThat(contract.body()).contains("/api/ops/v1/dead-letters/{partner}/retry");
        HttpResponse<String> partnerCredentials = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/api/ops/v1/queues")).header("Authorization", "Basic "
                + java.util.Base64.getEncoder().encodeToString((HOTLINE + ":" + HOTLINE_SECRET).getBytes())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(partnerCredentials.statusCode()).as("a partner's secret is not a console login").isEqualTo(401);
    }
}

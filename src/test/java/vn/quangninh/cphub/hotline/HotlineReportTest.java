package vn.quangninh.cphub.hotline;

import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.model.Referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A counsellor's ticket and the call it names become one report, whichever reaches the hub first: call
 * then ticket gives one referral carrying the call's facts; ticket then call gives the referral at once
 * and, when the call ends, an update with the same facts to the same partners (no new clock). The
 * caller's number comes from the call only when the ticket gives none and neither withheld it.
 */
class HotlineReportTest extends HubTestSupport {

    @Test
    void callBeforeTicketAndTicketBeforeCallGiveTheSameReport() throws Exception {
        // call first: the referral carries the call
        String callFirst = "call-first-" + UUID.randomUUID();
        assertThat(Sipp.call(SIP_PORT, callFirst, "111", "0900000055", "", 1100)).isZero();
        awaitCallEnded(callFirst + "-1@pbx");
        String firstIncident = postTicket(callFirst + "-1@pbx");
        JsonNode firstReport = delivered(SOCIAL_AFFAIRS_PATH, Referral.idFor(UUID.fromString(firstIncident), "social-affairs")).get("incident");
        assertThat(firstReport.get("messageType").asText()).isEqualTo("alert");

        // ticket first: the referral now, the call's facts as an update when it has ended
        String ticketFirst = "ticket-first-" + UUID.randomUUID();
        String secondIncident = postTicket(ticketFirst + "-1@pbx");
        JsonNode secondAlert = delivered(SOCIAL_AFFAIRS_PATH, Referral.idFor(UUID.fromString(secondIncident), "social-affairs")).get("incident");
        assertThat(secondAlert.get("reporter").has("call")).as("the call has not happened yet").isFalse();
        assertThat(Sipp.call(SIP_PORT, ticketFirst, "111", "0900000055", "", 1100)).isZero();
        JsonNode update = deliveredUpdate(SOCIAL_AFFAIRS_PATH, secondIncident);
        assertThat(update.get("messageType").asText()).isEqualTo("update");
        assertThat(update.get("references")).extracting(JsonNode::asText).containsExactly(secondIncident);
        assertThat(deliveredUpdate("/intake", secondIncident).get("reporter").get("call").get("callId").asText())
                .as("police, the ticket's other recipient, hear it too").isEqualTo(ticketFirst + "-1@pbx");

        JsonNode first = firstReport.get("reporter");
        JsonNode second = update.get("reporter");
        assertThat(first.get("call").get("callId").asText()).isEqualTo(callFirst + "-1@pbx");
        assertThat(second.get("call").get("callId").asText()).isEqualTo(ticketFirst + "-1@pbx");
        assertThat(fieldNames(second.get("call"))).isEqualTo(fieldNames(first.get("call")))
                .containsExactlyInAnyOrder("callId", "startedAt", "answeredAt", "endedAt", "durationSeconds");
        assertThat(second.get("call").get("durationSeconds").asInt()).isEqualTo(first.get("call").get("durationSeconds").asInt()).isBetween(1, 3);
        assertThat(second.get("callerNumber").asText()).isEqualTo(first.get("callerNumber").asText()).isEqualTo("0900000055");
        assertThat(second.get("line").asText()).isEqualTo(first.get("line").asText());
        assertThat(second.get("ticketId").asText()).isNotBlank();
        assertThat(update.has("subjects")).as("an update repeats no child's details").isFalse();
        assertThat(steps(update.get("incidentId").asText())).isNotEmpty();
        assertThat(jdbc.queryForObject("select count(*) from referral_clock where incident_id = ?", Long.class,
                update.get("incidentId").asText())).as("an update starts no clock").isZero();
        assertThat(jdbc.queryForObject("select count(*) from referral_clock where incident_id = ?", Long.class, secondIncident))
                .as("the ticket's referrals run theirs").isPositive();
    }

    @Test
    void aWithheldCallerGivesNoNumberToTheReport() throws Exception {
        String prefix = "withheld-report-" + UUID.randomUUID();
        String incident = postTicket(prefix + "-1@pbx");
        assertThat(Sipp.call(SIP_PORT, prefix, "111", "0900000066", "Privacy: id", 100)).isZero();
        JsonNode update = deliveredUpdate(SOCIAL_AFFAIRS_PATH, incident);
        assertThat(update.get("reporter").has("callerNumber")).isFalse();
        assertThat(update.get("reporter").get("numberWithheld").asBoolean()).isTrue();
        assertThat(update.toString()).doesNotContain("0900000066");
    }

    private String postTicket(String callId) throws Exception {
        String ticket = "{\"ticketId\":\"CRM-" + UUID.randomUUID() + "\",\"callId\":\"" + callId + "\",\"line\":\"111\","
                + "\"openedAt\":\"2026-11-28T14:05:00+07:00\",\"category\":\"violence\",\"urgency\":\"high\",\"signsOfCrime\":true,"
                + "\"child\":{\"name\":\"Synthetic Child Report\",\"age\":9}}";
        HttpResponse<String> accepted = new PartnerClient(port).postSigned("/hotline/crm/tickets", PartnerClient.CRM_SIGNING_SECRET,
                CLOCK.instant().getEpochSecond(), ticket.getBytes(StandardCharsets.UTF_8));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return json(accepted.body()).get("incidentId").asText();
    }

    private void awaitCallEnded(String callId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbcEnded(callId));
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    private boolean jdbcEnded(String callId) {
        return jdbc.queryForObject("select count(*) from call_record where call_id = ? and ended_at is not null", Long.class, callId) == 1;
    }

    private static JsonNode delivered(String path, UUID referralId) throws Exception {
        await().atMost(Duration.ofSeconds(15)).until(() -> !requests(path, referralId.toString()).isEmpty());
        return json(requests(path, referralId.toString()).get(0));
    }

    /** The update referencing {@code incidentId} that reached the partner at {@code path}. */
    private static JsonNode deliveredUpdate(String path, String incidentId) throws Exception {
        await().atMost(Duration.ofSeconds(15)).until(() -> update(path, incidentId) != null);
        return update(path, incidentId);
    }

    private static JsonNode update(String path, String incidentId) throws Exception {
        for (var request : POLICE.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(path)))) {
            JsonNode incident = json(request.getBodyAsString()).path("incident");
            if ("update".equals(incident.path("messageType").asText()) && incident.path("references").toString().contains(incidentId)) {
                return incident;
            }
        }
        return null;
    }

    private static List<String> requests(String path, String key) {
        return POLICE.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                        com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(path))
                .withHeader("Idempotency-Key", com.github.tomakehurst.wiremock.client.WireMock.equalTo(key)))
                .stream().map(r -> r.getBodyAsString()).toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

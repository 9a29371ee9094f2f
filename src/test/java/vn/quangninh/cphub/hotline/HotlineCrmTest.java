package vn.quangninh.cphub.hotline;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.model.Referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hotline CRM posts signed tickets: a good one becomes an incident routed like any other; an unsigned,
 * wrongly signed, stale or replayed one gets 401, a ticket that does not fit gets 422 with its fields, and
 * every refused request is kept for operators.
 */
class HotlineCrmTest extends HubTestSupport {

    private static final String PATH = "/hotline/crm/tickets";

    @Test
    void aSignedTicketBecomesAnIncidentAndItsReplayIsRefused() throws Exception {
        byte[] ticket = ticket("CRM-" + UUID.randomUUID(), "immediate");
        long now = CLOCK.instant().getEpochSecond();
        HttpResponse<String> accepted = crm().postSigned(PATH, PartnerClient.CRM_SIGNING_SECRET, now, ticket);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String incidentId = json(accepted.body()).get("incidentId").asText();
        String police = Referral.idFor(UUID.fromString(incidentId), "police").toString();
        await().atMost(Duration.ofSeconds(15)).until(() -> !policeRequestsWithKey(police).isEmpty());
        var delivered = json(policeRequestsWithKey(police).get(0).getBodyAsString()).get("incident");
        assertThat(delivered.get("priority").asInt()).isEqualTo(1);
        assertThat(delivered.get("reporter").get("line").asText()).isEqualTo("111");

        HttpResponse<String> replay = crm().postSigned(PATH, PartnerClient.CRM_SIGNING_SECRET, now, ticket);
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(json(replay.body()).get("error").asText()).isEqualTo("replayed");
    }

    @Test
    void unsignedWronglySignedStaleAndMisfitTicketsAreRefusedAndKept() throws Exception {
        long invalidBefore = messagesAdded("cphub.invalid");
        long now = CLOCK.instant().getEpochSecond();
        byte[] ticket = ticket("CRM-" + UUID.randomUUID(), "high");

        assertThat(error(crm().postWithHeaders(PATH, ticket))).isEqualTo("401 unsigned");
        assertThat(error(crm().postSigned(PATH, "a-secret-the-crm-does-not-have-0000000", now, ticket))).isEqualTo("401 bad_signature");
        assertThat(error(crm().postSigned(PATH, PartnerClient.CRM_SIGNING_SECRET, now - 301, ticket))).isEqualTo("401 stale_timestamp");
        assertThat(error(crm().postSigned(PATH, PartnerClient.CRM_SIGNING_SECRET, now + 400, ticket))).isEqualTo("401 stale_timestamp");

        HttpResponse<String> misfit = crm().postSigned(PATH, PartnerClient.CRM_SIGNING_SECRET, now,
                "{\"ticketId\":\"CRM-x\",\"line\":\"1-1-1\",\"openedAt\":\"yesterday\",\"category\":\"violence\",\"urgency\":\"urgent\",\"extra\":1}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(misfit.statusCode()).isEqualTo(422);
        assertThat(misfit.body()).contains("/line").contains("/openedAt").contains("/urgency").contains("extra");
        assertThat(error(crm().postSigned(PATH, PartnerClient.CRM_SIGNING_SECRET, now, "[1]".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("400 malformed_json");

        await().atMost(Duration.ofSeconds(5)).until(() -> messagesAdded("cphub.invalid") - invalidBefore >= 6);
    }

    private PartnerClient crm() {
        return new PartnerClient(port);
    }

    private static String error(HttpResponse<String> response) throws Exception {
        return response.statusCode() + " " + json(response.body()).get("error").asText();
    }

    private static byte[] ticket(String ticketId, String urgency) {
        return ("{\"ticketId\":\"" + ticketId + "\",\"line\":\"111\",\"openedAt\":\"2026-11-28T14:05:00+07:00\","
                + "\"category\":\"violence\",\"urgency\":\"" + urgency + "\",\"signsOfCrime\":true,"
                + "\"child\":{\"name\":\"Synthetic Child Ticket\",\"age\":8}}").getBytes(StandardCharsets.UTF_8);
    }
}

package vn.quangninh.cphub.triage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.model.Referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An update follows the referrals of the incident it updates when it comes from the partner that incident
 * came from — the same recipients, whatever the rules would say now — and starts no clock; an update from
 * another partner is routed by the rules like an alert.
 */
class IncidentUpdateTest extends HubTestSupport {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anUpdateFollowsItsIncidentsReferralsOnlyForTheOriginatingPartner() throws Exception {
        String alertId = accepted(postIncident(incident(newEventId())));
        await().atMost(Duration.ofSeconds(15)).until(() -> delivered("/intake", alertId, "police") && delivered(SOCIAL_AFFAIRS_PATH, alertId, "social-affairs"));

        // by the rules this would go to social affairs only (no signs of crime, priority 3)
        String followed = accepted(postIncident(update(HOTLINE, alertId)));
        await().atMost(Duration.ofSeconds(15)).until(() -> delivered("/intake", followed, "police") && delivered(SOCIAL_AFFAIRS_PATH, followed, "social-affairs"));
        assertThat(jdbc.queryForObject("select count(*) from referral_clock where incident_id = ?", Long.class, followed)).isZero();

        ObjectNode foreign = update("social-affairs", alertId);
        var answer = postIncident("social-affairs", "social-affairs-dev-secret", "application/json", foreign.toString().getBytes(StandardCharsets.UTF_8));
        String routed = accepted(answer);
        await().atMost(Duration.ofSeconds(15)).until(() -> delivered(SOCIAL_AFFAIRS_PATH, routed, "social-affairs"));
        assertThat(delivered("/intake", routed, "police")).as("another partner's update goes where the rules send it").isFalse();
        assertThat(jdbc.queryForObject("select count(*) from referral_clock where incident_id = ?", Long.class, routed)).isZero();
    }

    private static ObjectNode update(String system, String references) {
        ObjectNode update = JSON.createObjectNode().put("schemaVersion", "1").put("messageType", "update");
        update.putArray("references").add(references);
        update.putObject("source").put("system", system).put("eventId", "UPD-" + UUID.randomUUID()).put("channel", "partner");
        update.put("category", "violence").put("certainty", "suspected").put("priority", 3).put("signsOfCrime", false);
        update.put("narrative", "Synthetic follow-up.");
        return update;
    }

    private static String accepted(java.net.http.HttpResponse<String> answer) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return json(answer.body()).get("incidentId").asText();
    }

    private static boolean delivered(String path, String incidentId, String partner) {
        return !POLICE.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                        com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(path))
                .withHeader("Idempotency-Key", com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                        Referral.idFor(UUID.fromString(incidentId), partner).toString()))).isEmpty();
    }
}

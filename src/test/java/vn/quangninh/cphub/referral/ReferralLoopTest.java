package vn.quangninh.cphub.referral;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.SinkDeliveries;
import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.connector.WebhookAuthentication;
import vn.quangninh.cphub.model.Referral;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The referral loop end to end over real HTTP: an incident from the hotline CRM reaches police and the
 * commune officer (social affairs, through the agency-webhook sink), each with its own fields; each
 * disclosure is logged with its legal basis; the recipients report their status and the CRM hears back,
 * signed; wrong reporters and wrong moves are refused.
 */
class ReferralLoopTest extends HubTestSupport {

    private static final String POLICE_SECRET = "police-dev-secret";
    private static final String SOCIAL_SECRET = "social-affairs-dev-secret";
    private static final String CRM_WEBHOOK_SECRET = "dev-only-hmac-secret-for-the-hotline-crm-0001";

    @Autowired
    DisclosureLog disclosures;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;
    @Autowired
    DataSource dataSource;

    @Test
    void eachAgencyGetsOnlyItsFieldsAndEveryDisclosureIsLoggedWithItsLegalBasis() throws Exception {
        String eventId = newEventId();
        String incidentId = json(postIncident(incident(eventId)).body()).get("incidentId").asText();
        String police = referral(incidentId, "police");
        String social = referral(incidentId, "social-affairs");

        JsonNode toSocial = awaitDelivery(SOCIAL_AFFAIRS_PATH, social);
        LoggedRequest socialRequest = requests(SOCIAL_AFFAIRS_PATH, social).get(0);
        assertThat(socialRequest.getHeader("Authorization")).isEqualTo("Bearer dev-only-token-social-affairs-0001");
        assertThat(socialRequest.getHeader("X-CPHub-Message-Kind")).isEqualTo("referral");
        assertThat(toSocial.get("incident").has("codes")).as("the commune officer's profile includes medical").isTrue();
        assertThat(toSocial.get("legalBasis").asText()).isEqualTo("statutory_duty");

        JsonNode toPolice = awaitDelivery("/intake", police);
        assertThat(toPolice.get("incident").has("codes")).as("police never see medical codes").isFalse();
        assertThat(toPolice.get("incident").get("narrative").asText()).isNotEmpty();
        assertThat(toPolice.get("legalBasis").asText()).isEqualTo("crime_prevention");

        await().atMost(Duration.ofSeconds(10)).until(() -> disclosures.ofIncident(incidentId).size() == 2);
        assertThat(disclosures.ofIncident(incidentId))
                .extracting(DisclosureLog.Disclosure::partner, DisclosureLog.Disclosure::legalBasis, DisclosureLog.Disclosure::withheld)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("police", "crime_prevention", List.of("medical")),
                        org.assertj.core.groups.Tuple.tuple("social-affairs", "statutory_duty", List.of()));
        assertThatThrownBy(() -> jdbc.update("delete from disclosure where incident_id = ?", incidentId))
                .as("the disclosure log is append-only").hasMessageContaining("append-only");
    }

    @Test
    void theRecipientsReportsTravelBackToTheReporterSigned() throws Exception {
        String eventId = newEventId();
        String incidentId = json(postIncident(incident(eventId)).body()).get("incidentId").asText();
        String police = referral(incidentId, "police");
        awaitDelivery("/intake", police);

        HttpResponse<String> accepted = report(police, "police", POLICE_SECRET,
                "{\"status\":\"accepted\",\"caseId\":\"CA-QN-2026-0042\"}");
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(json(accepted.body()).get("outcome").asText()).isEqualTo("accepted");
        assertThat(report(police, "police", POLICE_SECRET, "{\"status\":\"accepted\",\"caseId\":\"CA-QN-2026-0042\"}")
                .body()).as("a repeated report changes nothing").contains("unchanged");

        JsonNode update = awaitUpdate(police, "accepted");
        assertThat(update.get("recipient").asText()).isEqualTo("police");
        assertThat(update.get("recipientCaseId").asText()).isEqualTo("CA-QN-2026-0042");
        assertThat(update.get("incidentId").asText()).isEqualTo(incidentId);
        LoggedRequest signed = updates(police, "accepted").get(0);
        String timestamp = signed.getHeader(WebhookAuthentication.TIMESTAMP);
        assertThat(signed.getHeader(WebhookAuthentication.SIGNATURE)).isEqualTo(
                "sha256=" + vn.quangninh.cphub.security.Hmac.sha256Hex(CRM_WEBHOOK_SECRET, timestamp + "." + signed.getBodyAsString()));
        assertThat(signed.getHeader("X-CPHub-Message-Kind")).isEqualTo("referral-status");

        assertThat(report(police, "police", POLICE_SECRET, "{\"status\":\"received\"}").statusCode())
                .as("accepted cannot go back to received").isEqualTo(409);
        assertThat(report(police, "police", POLICE_SECRET, "{\"status\":\"closed\",\"reason\":\"case handed to the court\"}")
                .statusCode()).isEqualTo(200);
        awaitUpdate(police, "closed");
        assertThat(jdbc.queryForObject("select count(*) from referral_status_update where referral_id = ?", Integer.class, police))
                .isEqualTo(2);
    }

    @Test
    void onlyTheRecipientMayReportAndBadReportsAreRefusedAndKept() throws Exception {
        String eventId = newEventId();
        String incidentId = json(postIncident(incident(eventId)).body()).get("incidentId").asText();
        String police = referral(incidentId, "police");
        awaitDelivery("/intake", police);
        long invalidBefore = messagesAdded("cphub.invalid");

        HttpResponse<String> notTheRecipient = report(police, "social-affairs", SOCIAL_SECRET, "{\"status\":\"accepted\"}");
        assertThat(notTheRecipient.statusCode()).isEqualTo(403);
        assertThat(json(notTheRecipient.body()).get("error").asText()).isEqualTo("not_the_recipient");
        assertThat(report(police, "police", "wrong-secret", "{\"status\":\"accepted\"}").statusCode()).isEqualTo(401);
        assertThat(report(UUID.randomUUID().toString(), "police", POLICE_SECRET, "{\"status\":\"accepted\"}").statusCode())
                .isEqualTo(404);
        HttpResponse<String> declineWithoutReason = report(police, "police", POLICE_SECRET, "{\"status\":\"declined\",\"extra\":1}");
        assertThat(declineWithoutReason.statusCode()).isEqualTo(422);
        assertThat(declineWithoutReason.body()).contains("/reason").contains("/extra");
        assertThat(report(police, "police", POLICE_SECRET, "{\"status\":\"routed\"}").statusCode()).isEqualTo(422);
        assertThat(report(police, "police", POLICE_SECRET, "not json").statusCode()).isEqualTo(400);

        await().atMost(Duration.ofSeconds(5)).until(() -> messagesAdded("cphub.invalid") - invalidBefore >= 6);
        // a refusal of the domain (NotPermitted) is kept with the status errors-http-intake gave it
        jms.setReceiveTimeout(5_000);
        jakarta.jms.Message kept = jms.receiveSelected("cphub.invalid", "cphubRejectError = 'not_the_recipient'");
        assertThat(kept).as("the refused report, kept for operators").isNotNull();
        assertThat(kept.getIntProperty("cphubRejectStatus")).isEqualTo(403);
        assertThat(jdbc.queryForObject("select status from referral where referral_id = ?", String.class, police))
                .as("none of them changed the referral").isIn("ROUTED", "DELIVERED");
    }

    @Test
    void aDeclineReachesTheReporterAndTheSupervisorAtOnce() throws Exception {
        String eventId = newEventId();
        String incidentId = json(postIncident(incident(eventId)).body()).get("incidentId").asText();
        String social = referral(incidentId, "social-affairs");
        awaitDelivery(SOCIAL_AFFAIRS_PATH, social);

        assertThat(report(social, "social-affairs", SOCIAL_SECRET, "{\"status\":\"declined\",\"reason\":\"not our commune\"}")
                .statusCode()).isEqualTo(200);
        awaitUpdate(social, "declined");
        await().atMost(Duration.ofSeconds(10)).until(() -> !POLICE.findAll(postRequestedFor(urlEqualTo(SUPERVISOR_PATH))
                .withRequestBody(matchingJsonPath("$.referralId", equalTo(social)))
                .withHeader("X-CPHub-Message-Kind", equalTo("referral-declined"))).isEmpty());
        JsonNode toSupervisor = json(POLICE.findAll(postRequestedFor(urlEqualTo(SUPERVISOR_PATH))
                .withRequestBody(matchingJsonPath("$.referralId", equalTo(social)))).get(0).getBodyAsString());
        assertThat(toSupervisor.get("status").asText()).isEqualTo("declined");
        assertThat(toSupervisor.has("reason")).as("the free-text reason goes to the reporter only").isFalse();
        assertThat(awaitUpdate(social, "declined").get("reason").asText()).isEqualTo("not our commune");
    }

    /**
     * A status report whose update the broker refuses (a broker plugin refuses the send, as a broker out of disk or
     * shutting down would): the recipient gets 503 and nothing of the report is recorded — status, history, clocks
     * — so the report sent again is taken whole, and the reporter hears once.
     */
    @Test
    void aReportWhoseUpdateTheBrokerRefusesIsRecordedNotAtAllAndTakenWhenSentAgain() throws Exception {
        String eventId = newEventId();
        String incidentId = json(postIncident(incident(eventId)).body()).get("incidentId").asText();
        String police = referral(incidentId, "police");
        awaitDelivery("/intake", police);
        String before = jdbc.queryForObject("select status from referral where referral_id = ?", String.class, police);
        int runningClocks = runningClocks(police);

        ActiveMQServerMessagePlugin refuseTheUpdate = new ActiveMQServerMessagePlugin() {
            @Override
            public void beforeSend(ServerSession session, Transaction tx, org.apache.activemq.artemis.api.core.Message message,
                                   boolean direct, boolean noAutoCreateQueue) throws ActiveMQException {
                if (police.equals(message.getStringProperty(HubHeaders.REFERRAL_ID))
                        && "referral-status".equals(message.getStringProperty(HubHeaders.MESSAGE_KIND))) {
                    throw new ActiveMQException("refused by the test: the broker cannot take the update now");
                }
            }
        };
        broker.getActiveMQServer().registerBrokerPlugin(refuseTheUpdate);
        try {
            HttpResponse<String> refused = report(police, "police", POLICE_SECRET, "{\"status\":\"accepted\",\"caseId\":\"CA-QN-2026-0077\"}");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        } finally {
            broker.getActiveMQServer().unRegisterBrokerPlugin(refuseTheUpdate);
        }
        assertThat(jdbc.queryForObject("select status from referral where referral_id = ?", String.class, police))
                .as("the status stays").isEqualTo(before);
        assertThat(jdbc.queryForObject("select count(*) from referral_status_update where referral_id = ?", Integer.class, police))
                .as("no history").isZero();
        assertThat(runningClocks(police)).as("no clock stopped").isEqualTo(runningClocks);

        SinkDeliveries toTheReporter = SinkDeliveries.of(camel, "deliver-hotline-crm", police + "/status/accepted");
        HttpResponse<String> again = report(police, "police", POLICE_SECRET, "{\"status\":\"accepted\",\"caseId\":\"CA-QN-2026-0077\"}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select status from referral where referral_id = ?", String.class, police)).isEqualTo("ACCEPTED");
        assertThat(jdbc.queryForObject("select count(*) from referral_status_update where referral_id = ?", Integer.class, police))
                .isEqualTo(1);
        assertThat(toTheReporter.firstWithin(Duration.ofSeconds(15))).as("the reporter hears").isTrue();
        assertThat(toTheReporter.noSecondWithin(Duration.ofSeconds(3))).as("once").isTrue();
        assertThat(awaitUpdate(police, "accepted").get("recipientCaseId").asText()).isEqualTo("CA-QN-2026-0077");
    }

    /**
     * A recipient that reports the moment it has the referral meets the hub recording the delivery
     * ({@link DeliveryRecordingRace}): once the hub's move commits, the report is taken (200), not answered 409
     * concurrent_update.
     */
    @Test
    void aReportThatMeetsTheHubRecordingTheDeliveryIsTaken() throws Exception {
        String eventId = newEventId();
        String incidentId = json(postIncident(incident(eventId)).body()).get("incidentId").asText();
        String police = referral(incidentId, "police");
        awaitDelivery("/intake", police);
        HttpResponse<String> answer = DeliveryRecordingRace.onH2(dataSource).report(police, () -> report(police, "police", POLICE_SECRET, "{\"status\":\"received\"}"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(json(answer.body()).get("outcome").asText()).isEqualTo("received");
        assertThat(jdbc.queryForObject("select status from referral where referral_id = ?", String.class, police))
                .isEqualTo("RECEIVED");
        assertThat(jdbc.queryForObject("select count(*) from referral_status_update where referral_id = ?", Integer.class, police))
                .isEqualTo(1);
        awaitUpdate(police, "received");
    }

    private int runningClocks(String referralId) {
        return jdbc.queryForObject("select count(*) from referral_clock where referral_id = ? and stopped_at is null",
                Integer.class, referralId);
    }

    @Test
    void aHospitalHearsBackThroughItsBasicAuthWebhook() throws Exception {
        ObjectNode report = incident(newEventId());
        report.with("source").put("system", "hospital-baichay").put("channel", "hospital");
        report.remove("reporter");
        HttpResponse<String> posted = postIncident("hospital-baichay", "hospital-baichay-dev-secret", "application/json",
                report.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(posted.statusCode()).isEqualTo(202);
        String police = referral(json(posted.body()).get("incidentId").asText(), "police");
        awaitDelivery("/intake", police);

        assertThat(report(police, "police", POLICE_SECRET, "{\"status\":\"received\"}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> !POLICE.findAll(postRequestedFor(urlEqualTo(HOSPITAL_PATH))
                .withRequestBody(matchingJsonPath("$.referralId", equalTo(police)))).isEmpty());
        LoggedRequest update = POLICE.findAll(postRequestedFor(urlEqualTo(HOSPITAL_PATH))
                .withRequestBody(matchingJsonPath("$.referralId", equalTo(police)))).get(0);
        assertThat(update.getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString("cphub:dev-only-password-0001".getBytes(StandardCharsets.UTF_8)));
        assertThat(json(update.getBodyAsString()).get("status").asText()).isEqualTo("received");
    }

    static String referral(String incidentId, String partner) {
        return Referral.idFor(UUID.fromString(incidentId), partner).toString();
    }

    private HttpResponse<String> report(String referralId, String partner, String secret, String body) throws Exception {
        return new PartnerClient(port).post("/api/v1/referrals/" + referralId + "/status", partner, secret, "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    static List<LoggedRequest> requests(String path, String key) {
        return POLICE.findAll(postRequestedFor(urlEqualTo(path)).withHeader("Idempotency-Key", equalTo(key)));
    }

    /**
     * The referral at its partner and its delivery recorded by the hub (the partner has it a moment before the sink's
     * store step commits), so that the tests start from a referral in the status delivered.
     */
    JsonNode awaitDelivery(String path, String referralId) throws Exception {
        await().atMost(Duration.ofSeconds(15)).until(() -> !requests(path, referralId).isEmpty());
        await().atMost(Duration.ofSeconds(15)).until(() -> !"ROUTED".equals(
                jdbc.queryForObject("select status from referral where referral_id = ?", String.class, referralId)));
        return json(requests(path, referralId).get(0).getBodyAsString());
    }

    private static List<LoggedRequest> updates(String referralId, String status) {
        return POLICE.findAll(postRequestedFor(urlEqualTo(CRM_PATH))
                .withRequestBody(matchingJsonPath("$.referralId", equalTo(referralId)))
                .withRequestBody(matchingJsonPath("$.status", equalTo(status))));
    }

    private static JsonNode awaitUpdate(String referralId, String status) throws Exception {
        await().atMost(Duration.ofSeconds(15)).until(() -> !updates(referralId, status).isEmpty());
        return json(updates(referralId, status).get(0).getBodyAsString());
    }
}

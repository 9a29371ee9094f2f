package vn.quangninh.cphub.intake;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import vn.quangninh.cphub.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every bad request gets its own status and reason, nothing reaches cphub.intake, and the bytes as sent
 * are kept in cphub.invalid for operators.
 */
class PartnerApiRejectionTest extends HubTestSupport {

    private static final String JSON_TYPE = "application/json";

    record Case(String partner, String secret, String contentType, byte[] body) {
        @Override
        public String toString() {
            return partner + " " + contentType + " " + body.length + " bytes";
        }
    }

    static Stream<Arguments> badRequests() {
        byte[] valid = bytes(incident(newEventId()));
        ObjectNode wrongPriority = incident(newEventId());
        wrongPriority.put("priority", 9);
        ObjectNode unknownField = incident(newEventId());
        unknownField.put("childPhotoBase64", "AAAA");
        ObjectNode hubField = incident(newEventId());
        hubField.put("incidentId", "3ba2847c-7a7a-3137-962a-745313913f23");
        byte[] oversize = new byte[1024 * 1024 + 1];
        Arrays.fill(oversize, (byte) ' ');
        oversize[0] = '{';
        byte[] invalidUtf8 = "{\"narrative\":\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        return Stream.of(
                arguments("malformed JSON", new Case(HOTLINE, HOTLINE_SECRET, JSON_TYPE, "{\"schemaVersion\":".getBytes()), 400, "malformed_json", null),
                arguments("invalid UTF-8", new Case(HOTLINE, HOTLINE_SECRET, JSON_TYPE, invalidUtf8), 400, "malformed_json", null),
                arguments("JSON that is not an object", new Case(HOTLINE, HOTLINE_SECRET, JSON_TYPE, "[1,2]".getBytes()), 400, "malformed_json", null),
                arguments("priority out of range", new Case(HOTLINE, HOTLINE_SECRET, JSON_TYPE, bytes(wrongPriority)), 422, "schema_violation", "/priority"),
                arguments("unknown field", new Case(HOTLINE, HOTLINE_SECRET, JSON_TYPE, bytes(unknownField)), 422, "schema_violation", "childPhotoBase64"),
                arguments("a field only the hub sets", new Case(HOTLINE, HOTLINE_SECRET, JSON_TYPE, bytes(hubField)), 422, "schema_violation", "/incidentId"),
                arguments("oversize body", new Case(HOTLINE, HOTLINE_SECRET, JSON_TYPE, oversize), 413, "too_large", null),
                arguments("wrong content type", new Case(HOTLINE, HOTLINE_SECRET, "text/plain", valid), 415, "unsupported_media_type", null),
                arguments("no content type", new Case(HOTLINE, HOTLINE_SECRET, null, valid), 415, "unsupported_media_type", null),
                arguments("form content type", new Case(HOTLINE, HOTLINE_SECRET, "application/x-www-form-urlencoded", valid), 415, "unsupported_media_type", null),
                arguments("JSON in another charset", new Case(HOTLINE, HOTLINE_SECRET, "application/json; charset=ISO-8859-1", valid), 415, "unsupported_media_type", null),
                arguments("wrong secret", new Case(HOTLINE, "not-the-secret", JSON_TYPE, valid), 401, "unauthenticated", null),
                arguments("unknown partner", new Case("someone", "secret", JSON_TYPE, valid), 401, "unauthenticated", null),
                arguments("no credentials", new Case(null, null, JSON_TYPE, valid), 401, "unauthenticated", null),
                arguments("a partner posting as another", new Case("social-affairs", "social-affairs-dev-secret", JSON_TYPE, valid), 403, "forbidden_source", null));
    }

    @BeforeEach
    void emptyQuarantine() {
        jms.setReceiveTimeout(100);
        while (jms.receive("cphub.invalid") != null) {
            // earlier tests' leftovers
        }
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badRequests")
    void isRefusedWithItsOwnStatusAndKeptInQuarantine(String what, Case request, int status, String error, String detail)
            throws Exception {
        long intakeBefore = messagesAdded("cphub.intake");

        var response = postIncident(request.partner(), request.secret(), request.contentType(), request.body());

        assertThat(response.statusCode()).as(what).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode answer = json(response.body());
        assertThat(answer.get("error").asText()).isEqualTo(error);
        assertThat(answer.get("message").asText()).isNotBlank();
        if (detail != null) {
            assertThat(answer.get("details").toString()).contains(detail);
        }
        assertThat(messagesAdded("cphub.intake")).as("nothing reaches cphub.intake").isEqualTo(intakeBefore);

        jms.setReceiveTimeout(5_000);
        Message kept = jms.receive("cphub.invalid");
        assertThat(kept).as("the refused body is kept in cphub.invalid").isInstanceOf(BytesMessage.class);
        assertThat(kept.getIntProperty(InvalidMessage.STATUS)).isEqualTo(status);
        assertThat(kept.getStringProperty(InvalidMessage.ERROR)).isEqualTo(error);
        assertThat(kept.getStringProperty(InvalidMessage.CONNECTOR)).isEqualTo("partner-api");
        assertThat(kept.getStringProperty("Authorization")).as("credentials never reach a queue").isNull();
        byte[] keptBody = kept.getBody(byte[].class);
        if (status == 413) {
            assertThat(kept.getBooleanProperty(InvalidMessage.TRUNCATED)).isTrue();
            assertThat(keptBody).hasSize(64 * 1024).isEqualTo(Arrays.copyOf(request.body(), 64 * 1024));
        } else {
            assertThat(keptBody).isEqualTo(request.body());
        }
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    @org.junit.jupiter.api.Test
    void aSenderCannotPassForTheHubsOperatorsWithAHeaderOfTheirs() throws Exception {
        // an incident no shipped rule routes: triaged as a re-triage it would not reach cphub.unrouted
        ObjectNode unroutable = vn.quangninh.cphub.SyntheticIncidents.unroutedIncident(newEventId());
        String incidentId = vn.quangninh.cphub.incident.Incident.idFor(HOTLINE,
                unroutable.path("source").path("eventId").asText()).toString();
        long unrouted = messagesAdded("cphub.unrouted");
        var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/incidents"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (HOTLINE + ":" + HOTLINE_SECRET).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", JSON_TYPE)
                .header("cphubRetriage", "true")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(unroutable.toString())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(202);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                .until(() -> messagesAdded("cphub.unrouted") == unrouted + 1);
        assertThat(steps(incidentId)).contains(vn.quangninh.cphub.store.Journey.Step.RECEIVED,
                vn.quangninh.cphub.store.Journey.Step.UNROUTED);
    }
}

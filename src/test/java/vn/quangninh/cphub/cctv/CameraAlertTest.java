package vn.quangninh.cphub.cctv;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.Test;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import vn.quangninh.cphub.SinkDeliveries;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.PartnerClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Hikvision camera at the Hong Ha school pushes alarms (real HTTP); the events of one episode become one
 * alert for the Ha Long camera desk (WireMock), which confirms it (the partner API) — then it is an
 * incident routed like any other — or calls it a false alarm; an alert nobody verifies goes to the
 * supervisor once the hub's clock passes the verification time. Snapshots are stored encrypted, by
 * reference, and only the evidence role opens them.
 */
class CameraAlertTest extends HubTestSupport {

    static final String GATE = "/cctv/hikvision/dev-only-camera-key-hongha-gate-01";
    static final String CORRIDOR = "/cctv/onvif/dev-only-camera-key-hongha-corridor-01";
    static final String DESK = "cctv-desk-halong";
    static final String DESK_SECRET = "cctv-desk-halong-dev-secret";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;
    @Value("${cphub.data-dir}")
    Path dataDir;

    @Test
    void anEpisodeBecomesOneAlertAndItsConfirmationAnIncident() throws Exception {
        String at = "2026-11-28T16:" + String.format("%02d", (int) (Math.random() * 60)) + ":00+07:00";
        // a motion episode on the playground (channel 2): active (and the camera's retry of it), active again a
        // second later, then inactive
        assertThat(push(xml("VMD", "active", "2", at)).statusCode()).isEqualTo(200);
        assertThat(push(xml("VMD", "active", "2", at)).statusCode()).isEqualTo(200);
        assertThat(push(xml("VMD", "active", "2", at.replace(":00+07:00", ":01+07:00"))).statusCode()).isEqualTo(200);
        assertThat(push(xml("VMD", "inactive", "2", at.replace(":00+07:00", ":02+07:00"))).statusCode()).isEqualTo(200);
        JsonNode alert = alertAt(CCTV_DESK_PATH, "camera-alert", at);
        assertThat(alert.get("siteId").asText()).isEqualTo("school-hongha-primary");
        assertThat(alert.get("area").asText()).isEqualTo("playground");
        assertThat(alert.get("eventType").asText()).isEqualTo("motion");
        assertThat(alert.get("events").asInt()).as("one alert for the whole episode; the retried push counts once").isEqualTo(3);
        assertThat(alert.get("lastAt").asText()).isEqualTo(java.time.OffsetDateTime.parse(at).plusSeconds(2).toInstant().toString());

        String alertId = alert.get("alertId").asText();
        HttpResponse<String> confirmed = verify(alertId, DESK, DESK_SECRET,
                "{\"outcome\":\"confirmed\",\"category\":\"violence\",\"priority\":2,\"signsOfCrime\":true,\"note\":\"Synthetic: an adult hits a pupil\"}");
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        String incidentId = json(confirmed.body()).get("incidentId").asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> !policeRequestsWithKey(
                vn.quangninh.cphub.model.Referral.idFor(UUID.fromString(incidentId), "police").toString()).isEmpty());
        JsonNode incident = json(policeRequestsWithKey(vn.quangninh.cphub.model.Referral.idFor(UUID.fromString(incidentId), "police")
                .toString()).get(0).getBodyAsString()).get("incident");
        assertThat(incident.get("source").get("channel").asText()).isEqualTo("cctv");
        assertThat(incident.get("certainty").asText()).isEqualTo("suspected");
        assertThat(incident.get("location").get("siteId").asText()).isEqualTo("school-hongha-primary");

        assertThat(verify(alertId, DESK, DESK_SECRET, "{\"outcome\":\"false_alarm\"}").statusCode()).as("decided already").isEqualTo(409);
        assertThat(verify(alertId, "social-affairs", "social-affairs-dev-secret", "{\"outcome\":\"confirmed\"}").statusCode())
                .as("not this site's verifier").isEqualTo(403);
        assertThat(verify(UUID.randomUUID().toString(), DESK, DESK_SECRET, "{\"outcome\":\"confirmed\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void aFalseAlarmClosesTheAlertAndAnUnverifiedOneIsEscalated() throws Exception {
        String first = "2026-11-28T18:" + String.format("%02d", (int) (Math.random() * 60)) + ":01+07:00";
        assertThat(push(xml("linedetection", "active", "1", first)).statusCode()).isEqualTo(200);
        JsonNode alert = alertAt(CCTV_DESK_PATH, "camera-alert", first);
        HttpResponse<String> closed = verify(alert.get("alertId").asText(), DESK, DESK_SECRET, "{\"outcome\":\"false_alarm\"}");
        assertThat(json(closed.body()).get("outcome").asText()).isEqualTo("false_alarm");
        assertThat(status(alert.get("alertId").asText())).isEqualTo("false_alarm");

        String second = "2026-11-28T19:" + String.format("%02d", (int) (Math.random() * 60)) + ":02+07:00";
        assertThat(push(xml("fielddetection", "active", "1", second)).statusCode()).isEqualTo(200);
        JsonNode unanswered = alertAt(CCTV_DESK_PATH, "camera-alert", second);
        CLOCK.advance(Duration.ofMinutes(11)); // past cphub.cctv.verify-within (10 min)
        JsonNode escalation = alertAt(SUPERVISOR_PATH, "camera-alert-escalation", second);
        assertThat(escalation.get("alertId").asText()).isEqualTo(unanswered.get("alertId").asText());
        // marked escalated after its send (routes/camera-alerts.camel.yaml): the supervisor can have it first
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(status(unanswered.get("alertId").asText())).isEqualTo("escalated"));
        assertThat(alertsAt(SUPERVISOR_PATH, "camera-alert-escalation", first)).as("the false alarm is not escalated").isEmpty();
    }

    @Test
    void aRedeliveredEpisodeIsOneAlertSentOnce() throws Exception {
        // the same completed episode twice on cphub.camera-alerts (the broker's redelivery after a crash looks the same):
        // the second finds the alert's row (sql: insert, duplicate key) and its send is dropped by the broker
        String firstAt = "2026-11-29T07:" + String.format("%02d", (int) (Math.random() * 60)) + ":00Z";
        String episode = JSON.createObjectNode().put("episodeKey", "hongha-gate-cam/1/line_crossing").put("vendor", "hikvision")
                .put("deviceId", "hongha-gate-cam").put("siteId", "school-hongha-primary").put("channel", "1")
                .put("area", "gate").put("eventType", "line_crossing").put("offset", "+07:00").put("firstAt", firstAt)
                .put("lastAt", firstAt).put("events", 1).put("ended", true).set("snapshots", JSON.createArrayNode()).toString();
        String alertId = CameraAlerts.alertId(JSON.readTree(episode)).toString();
        NotifyBuilder bothTaken = new NotifyBuilder(camel).fromRoute("camera-alerts").filter(e -> alertId.equals(
                e.getProperty("cphubAlertId", String.class))).whenCompleted(2).create();
        SinkDeliveries toDesk = SinkDeliveries.of(camel, "deliver-" + DESK, "camera-alert/" + alertId);

        jms.convertAndSend("cphub.camera-alerts", episode);
        jms.convertAndSend("cphub.camera-alerts", episode);

        assertThat(bothTaken.matches(20, TimeUnit.SECONDS)).as("both copies taken, neither failed").isTrue();
        assertThat(toDesk.firstWithin(Duration.ofSeconds(20))).isTrue();
        assertThat(toDesk.noSecondWithin(Duration.ofSeconds(3))).as("the verifier gets the alert once").isTrue();
        assertThat(jdbc.queryForObject("select count(*) from camera_alert where alert_id = ?", Integer.class, alertId)).isEqualTo(1);
        assertThat(alertsAt(CCTV_DESK_PATH, "camera-alert", firstAt)).hasSize(1);
        assertThat(status(alertId)).isEqualTo("pending");
    }

    @Test
    void snapshotsAreStoredEncryptedByReferenceAndOpenedOnlyByTheEvidenceRole() throws Exception {
        String at = "2026-11-28T20:" + String.format("%02d", (int) (Math.random() * 60)) + ":03+07:00";
        byte[] jpeg = syntheticJpeg();
        String boundary = "MIME_boundary_" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"linedetection\"\r\n"
                + "Content-Type: application/xml\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(xml("linedetection", "active", "1", at));
        body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"linedetectionPicture\"; filename=\"p.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(jpeg);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> answer = push("multipart/form-data; boundary=" + boundary, body.toByteArray());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

        JsonNode alert = alertAt(CCTV_DESK_PATH, "camera-alert", at);
        String sha256 = alert.get("snapshots").get(0).get("sha256").asText();
        assertThat(alert.toString()).as("a reference, never the image").doesNotContain(Base64.getEncoder().encodeToString(jpeg).substring(0, 40));
        Path file = dataDir.resolve("evidence").resolve(sha256.substring(0, 2)).resolve(sha256 + ".enc");
        byte[] atRest = Files.readAllBytes(file);
        assertThat(atRest[0] == (byte) 0xFF && atRest[1] == (byte) 0xD8).as("the bytes on disk are not a JPEG").isFalse();

        assertThat(console("/console/evidence/" + sha256, "viewer", "viewer-dev").statusCode()).isEqualTo(403);
        HttpResponse<byte[]> opened = console("/console/evidence/" + sha256, "evidence", "evidence-dev");
        assertThat(opened.statusCode()).isEqualTo(200);
        assertThat(opened.body()).isEqualTo(jpeg);
        assertThat(jdbc.queryForObject("select count(*) from evidence_fetch where sha256 = ? and username = 'evidence'", Long.class, sha256))
                .isEqualTo(1);
    }

    @Test
    void hostilePushesGetTheirErrorAndAreKeptWithoutImages() throws Exception {
        long invalidBefore = messagesAdded("cphub.invalid");
        long eventsBefore = messagesAdded("cphub.camera-events");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<EventNotificationAlert><eventType>&e;</eventType></EventNotificationAlert>";
        assertThat(error(push(xxe.getBytes(StandardCharsets.UTF_8)))).isEqualTo("400 dtd_refused");
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>"
                + "<EventNotificationAlert><eventType>&lol2;</eventType></EventNotificationAlert>";
        assertThat(error(push(bomb.getBytes(StandardCharsets.UTF_8)))).isEqualTo("400 dtd_refused");
        assertThat(error(push("<EventNotificationAlert><eventType>VMD".getBytes(StandardCharsets.UTF_8)))).isEqualTo("400 malformed_xml");
        assertThat(error(post("/cctv/hikvision/not-a-device-key-0000000000", "application/xml", xml("VMD", "active", "1",
                "2026-11-28T16:00:00+07:00")))).isEqualTo("403 unknown_device");
        String boundary = "b" + UUID.randomUUID();
        byte[] notJpeg = ("--" + boundary + "\r\nContent-Type: application/xml\r\n\r\n"
                + new String(xml("VMD", "active", "1", "2026-11-28T16:00:00+07:00"), StandardCharsets.UTF_8)
                + "\r\n--" + boundary + "\r\nContent-Type: image/jpeg\r\n\r\nGIF89a-not-a-jpeg\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(error(push("multipart/form-data; boundary=" + boundary, notJpeg))).isEqualTo("415 not_a_jpeg");
        // size caps: the whole push, the number of parts, one image
        byte[] huge = new byte[1_100_000];
        java.util.Arrays.fill(huge, (byte) ' ');
        assertThat(error(push(huge))).isEqualTo("413 too_large");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 13; i++) {
            many.append("--").append(boundary).append("\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
        }
        many.append("--").append(boundary).append("--\r\n");
        assertThat(error(push("multipart/form-data; boundary=" + boundary, many.toString().getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("413 too_many_parts");
        byte[] bigImage = new byte[600_000];
        bigImage[0] = (byte) 0xFF;
        bigImage[1] = (byte) 0xD8;
        bigImage[2] = (byte) 0xFF;
        java.io.ByteArrayOutputStream oneBigImage = new java.io.ByteArrayOutputStream();
        oneBigImage.writeBytes(("--" + boundary + "\r\nContent-Type: application/xml\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        oneBigImage.writeBytes(xml("VMD", "active", "1", "2026-11-28T16:00:00+07:00"));
        oneBigImage.writeBytes(("\r\n--" + boundary + "\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        oneBigImage.writeBytes(bigImage);
        oneBigImage.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(error(push("multipart/form-data; boundary=" + boundary, oneBigImage.toByteArray()))).isEqualTo("413 image_too_large");
        // ONVIF: the same XML parser, so the same refusal; a Notify of initial states only is no alarm
        assertThat(error(post(CORRIDOR, "application/soap+xml", xxe.getBytes(StandardCharsets.UTF_8)))).isEqualTo("400 dtd_refused");
        String initialized = Files.readString(Path.of("connectors/cctv-onvif/examples/motion-changed.input.xml"))
                .replace("PropertyOperation=\"Changed\"", "PropertyOperation=\"Initialized\"");
        assertThat(post(CORRIDOR, "application/soap+xml", initialized.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        // a heartbeat is answered and goes nowhere
        assertThat(push(xml("videoloss", "inactive", "1", "2026-11-28T16:00:00+07:00")).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> messagesAdded("cphub.invalid") - invalidBefore >= 9);
        assertThat(messagesAdded("cphub.camera-events")).as("nothing of it became an event").isEqualTo(eventsBefore);
        // what cphub.invalid keeps of the push with the oversize image: the alert part and a note, never the image
        List<byte[]> kept = jms.browse("cphub.invalid", (session, browser) -> {
            List<byte[]> bodies = new java.util.ArrayList<>();
            for (var e = browser.getEnumeration(); e.hasMoreElements(); ) {
                jakarta.jms.Message m = (jakarta.jms.Message) e.nextElement();
                if ("image_too_large".equals(m.getStringProperty(vn.quangninh.cphub.intake.InvalidMessage.ERROR))) {
                    bodies.add(m.getBody(byte[].class));
                }
            }
            return bodies;
        });
        assertThat(kept).isNotEmpty().allSatisfy(body -> {
            assertThat(body.length).isLessThan(2000);
            assertThat(new String(body, StandardCharsets.ISO_8859_1)).contains("[image of 600000 bytes not kept]")
                    .doesNotContain("\u00ff\u00d8\u00ff");
        });
    }

    @Test
    void aDeviceOverItsRateIsAnswered429AndNotKept() throws Exception {
        long invalidBefore = messagesAdded("cphub.invalid");
        String shelter = "/cctv/hikvision/dev-only-camera-key-shelter-hall-01";
        int refused = 0;
        for (int i = 0; i < 125; i++) {
            if (post(shelter, "application/xml", xml("videoloss", "inactive", "1", "2026-11-28T16:00:00+07:00")).statusCode() == 429) {
                refused++;
            }
        }
        assertThat(refused).as("120 a minute are taken").isBetween(5, 125 - 60);
        assertThat(meters.get("cphub.intake.rate_limited").counter().count()).isGreaterThanOrEqualTo(refused);
        assertThat(messagesAdded("cphub.invalid")).as("a storm's refusals are not kept one by one").isEqualTo(invalidBefore);
    }

    @Test
    void frigateDetectionsThroughMosquittoBecomeOneAlert() throws Exception {
        long invalidBefore = messagesAdded("cphub.invalid");
        double start = 1795860000 + Math.floor(Math.random() * 3600);
        String topic = FRIGATE_TOPICS + "/events";
        Frigate.publish(topic, frigate("new", "hongha_yard", start, false).getBytes(StandardCharsets.UTF_8));
        Frigate.publish(topic, frigate("update", "hongha_yard", start, false).getBytes(StandardCharsets.UTF_8));
        Frigate.publish(topic, frigate("new", "hongha_yard", start + 1, true).getBytes(StandardCharsets.UTF_8));
        Frigate.publish(topic, frigate("end", "hongha_yard", start, false).getBytes(StandardCharsets.UTF_8));
        Frigate.publish(topic, frigate("new", "a_camera_nobody_listed", start, false).getBytes(StandardCharsets.UTF_8));
        Frigate.publish(topic, "not json".getBytes(StandardCharsets.UTF_8));
        String firstAt = java.time.Instant.ofEpochSecond((long) start).atOffset(java.time.ZoneOffset.ofHours(7)).toString();
        JsonNode alert = alertAt(CCTV_DESK_PATH, "camera-alert", firstAt);
        assertThat(alert.get("deviceId").asText()).isEqualTo("hongha-yard-frigate");
        assertThat(alert.get("area").asText()).isEqualTo("schoolyard");
        assertThat(alert.get("objectClass").asText()).isEqualTo("person");
        assertThat(alert.get("events").asInt()).as("new and end; the update and the false positive are no alarm").isEqualTo(2);
        assertThat(camel.getRoute("cctv-frigate-events").getEndpoint().getEndpointUri())
                .as("this test JVM's own session (a hub of the other test JVM has the same broker name)")
                .contains("clientId=cphub-frigate-events-cphub-").doesNotContain("${");
        await().atMost(Duration.ofSeconds(5)).until(() -> messagesAdded("cphub.invalid") - invalidBefore >= 2);
    }

    private static String frigate(String type, String camera, double start, boolean falsePositive) {
        return "{\"type\":\"" + type + "\",\"before\":{},\"after\":{\"id\":\"" + start + "-abc\",\"camera\":\"" + camera
                + "\",\"label\":\"person\",\"score\":0.8,\"top_score\":0.9,\"false_positive\":" + falsePositive
                + ",\"start_time\":" + start + ",\"end_time\":" + (type.equals("end") ? String.valueOf(start + 20) : "null")
                + ",\"current_zones\":[\"yard\"],\"entered_zones\":[\"yard\"]}}";
    }

    // --- helpers

    static byte[] xml(String type, String state, String channel, String at) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<EventNotificationAlert version=\"2.0\" xmlns=\"http://www.isapi.org/ver20/XMLSchema\">"
                + "<macAddress>44:19:b6:00:00:01</macAddress><channelID>" + channel + "</channelID><dateTime>" + at + "</dateTime>"
                + "<activePostCount>1</activePostCount><eventType>" + type + "</eventType><eventState>" + state + "</eventState>"
                + "</EventNotificationAlert>").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] syntheticJpeg() {
        byte[] jpeg = new byte[2048];
        new java.util.Random(7).nextBytes(jpeg);
        jpeg[0] = (byte) 0xFF;
        jpeg[1] = (byte) 0xD8;
        jpeg[2] = (byte) 0xFF;
        jpeg[3] = (byte) 0xE0;
        return jpeg;
    }

    private HttpResponse<String> push(byte[] xml) throws Exception {
        return post(GATE, "application/xml", xml);
    }

    private HttpResponse<String> push(String contentType, byte[] body) throws Exception {
        return post(GATE, contentType, body);
    }

    private HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> verify(String alertId, String partner, String secret, String body) throws Exception {
        return new PartnerClient(port).post("/api/v1/camera-alerts/" + alertId + "/verification", partner, secret, "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<byte[]> console(String path, String user, String password) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String error(HttpResponse<String> response) throws Exception {
        return response.statusCode() + " " + json(response.body()).get("error").asText();
    }

    private String status(String alertId) {
        return jdbc.queryForObject("select status from camera_alert where alert_id = ?", String.class, alertId);
    }

    /** The message of {@code kind} at {@code path} about the episode that started at {@code firstAt} (local time given). */
    private static JsonNode alertAt(String path, String kind, String firstAt) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> !alertsAt(path, kind, firstAt).isEmpty());
        return alertsAt(path, kind, firstAt).get(0);
    }

    private static List<JsonNode> alertsAt(String path, String kind, String firstAt) throws Exception {
        String utc = java.time.OffsetDateTime.parse(firstAt).toInstant().toString();
        List<JsonNode> found = new java.util.ArrayList<>();
        for (var request : POLICE.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(path)))) {
            JsonNode message = json(request.getBodyAsString());
            if (kind.equals(message.path("kind").asText()) && utc.equals(message.path("firstAt").asText())) {
                found.add(message);
            }
        }
        return found;
    }
}

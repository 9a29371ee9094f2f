package vn.quangninh.cphub.cctv;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Lazy;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.config.OperatorFiles;
import vn.quangninh.cphub.outbox.PartnerOutbox;
import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.partner.PartnerRegistry;
import vn.quangninh.cphub.site.Site;
import vn.quangninh.cphub.site.SiteRegistry;
import vn.quangninh.cphub.store.Journey;
import vn.quangninh.cphub.model.ConflictingState;
import vn.quangninh.cphub.model.NotPermitted;
import vn.quangninh.cphub.model.UnknownRecord;

/**
 * Camera alerts and their verification. Each completed episode becomes one alert ({@code camera_alert}),
 * sent first to its site's verifier partner (kind {@code camera-alert}: site, area, event, times, counts and
 * snapshot references — no image). The verifier answers on the partner API: {@code confirmed} makes the alert a
 * canonical incident (channel {@code cctv}, certainty {@code suspected}) routed by config/routing.yaml;
 * {@code false_alarm} closes it. An alert still pending after {@code cphub.cctv.verify-within} is escalated to
 * the site's duty partner (kind {@code camera-alert-escalation}), who may then answer in its place. The
 * alert rows and the timer (a db-scheduler execution) are in the store, so all of it survives a restart.
 */
@Component("cameraAlerts")
public class CameraAlerts {

    private static final Logger LOG = LoggerFactory.getLogger(CameraAlerts.class);
    static final String TASK = "camera-alert-verification";
    /** Exchange property: the verdict of a verification request. */
    public static final String VERDICT = "cphubVerdict";
    private static final Set<String> CATEGORIES = Set.of("violence", "sexual_abuse", "exploitation", "neglect", "abandonment",
            "trafficking", "other");

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final SiteRegistry sites;
    private final PartnerOutbox outbox;
    private final Journey journey;
    private final SchedulerClient scheduler;
    private final OneTimeTask<Void> task;
    private final Duration verifyWithin;

    public CameraAlerts(JdbcTemplate jdbc, ObjectMapper json, Clock clock, SiteRegistry sites, PartnerRegistry partners,
                        PartnerOutbox outbox, Journey journey, @Lazy SchedulerClient scheduler,
                        @Lazy OneTimeTask<Void> cameraAlertVerificationTask,
                        @Value("${cphub.cctv.verify-within}") Duration verifyWithin, OperatorFiles files) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.sites = sites;
        this.outbox = outbox;
        this.journey = journey;
        this.scheduler = scheduler;
        this.task = cameraAlertVerificationTask;
        this.verifyWithin = verifyWithin;
        for (Site site : sites.sitesWithDevices()) {
            for (String partner : List.of(site.verifier(), site.duty())) {
                if (partners.find(partner).map(p -> p.sink() == null).orElse(true)) {
                    throw new OperatorFiles.InvalidOperatorFileException(files.resolve("sites.yaml"), "site " + site.id()
                            + " names partner '" + partner + "' for its camera alerts, which is not in config/partners.yaml with a sink");
                }
            }
        }
    }

    /** The same episode is always the same alert, so a redelivered episode changes nothing. */
    static UUID alertId(JsonNode episode) {
        return UUID.nameUUIDFromBytes(("cphub/camera-alert/" + episode.get("episodeKey").asText() + "/" + episode.get("firstAt").asText())
                .getBytes(StandardCharsets.UTF_8));
    }

    /** From cphub.camera-alerts: records the alert, sends it to the site's verifier, starts its timer. */
    public void open(@Body String episodeJson) throws JsonProcessingException {
        JsonNode episode = json.readTree(episodeJson);
        UUID alertId = alertId(episode);
        Site site = sites.find(episode.get("siteId").asText()).orElseThrow();
        Instant now = clock.instant();
        try {
            jdbc.update("insert into camera_alert (alert_id, site_id, device_id, status, episode, created_at, updated_at)"
                            + " values (?, ?, ?, 'pending', ?, ?, ?)", alertId.toString(), site.id(), episode.get("deviceId").asText(),
                    episodeJson, Timestamp.from(now), Timestamp.from(now));
        } catch (DuplicateKeyException again) {
            // a redelivered episode: the alert stands, and the sends below are deduplicated by the broker
        }
        Instant verifyBy = now.plus(verifyWithin);
        outbox.send(site.verifier(), "camera-alert", message("camera-alert", alertId, site, episode).put("verifyBy", verifyBy.toString()),
                alertId.toString(), null, "camera-alert/" + alertId, 7);
        scheduler.scheduleIfNotExists(task.instance(alertId.toString()), verifyBy);
        journey.record(alertId.toString(), null, site.verifier(), Journey.Step.ROUTED, null, "camera-alert", null);
        LOG.info("Camera alert {} (site {}, {} event(s)) sent to {} for verification", alertId, site.id(),
                episode.get("events").asInt(), site.verifier());
    }

    /** The timer: an alert nobody has verified goes to the site's duty partner. */
    public void escalateIfUnverified(UUID alertId) throws JsonProcessingException {
        Map<String, Object> row = jdbc.queryForMap("select site_id, status, episode from camera_alert where alert_id = ?", alertId.toString());
        if (jdbc.update("update camera_alert set status = 'escalated', updated_at = ? where alert_id = ? and status = 'pending'",
                Timestamp.from(clock.instant()), alertId.toString()) == 0) {
            return; // verified in time
        }
        Site site = sites.find((String) row.get("site_id")).orElseThrow();
        JsonNode episode = json.readTree((String) row.get("episode"));
        outbox.send(site.duty(), "camera-alert-escalation", message("camera-alert-escalation", alertId, site, episode)
                        .put("reason", "not verified by " + site.verifier() + " within " + verifyWithin),
                alertId.toString(), null, "camera-alert-escalation/" + alertId, 9);
        journey.record(alertId.toString(), null, site.duty(), Journey.Step.ESCALATED, null, "camera-alert", null);
        LOG.warn("Camera alert {} (site {}) not verified within {}: escalated to {}", alertId, site.id(), verifyWithin, site.duty());
    }

    /**
     * {@code POST /api/v1/camera-alerts/{alertId}/verification} with {@code {"outcome": "confirmed" | "false_alarm",
     * "category", "priority", "signsOfCrime", "note"}}: only the site's verifier, or its duty partner, may
     * answer. A confirmation leaves the body as the candidate incident (for admission) and sets
     * {@link #VERDICT}; a false alarm closes the alert at once.
     */
    public void verdict(Exchange exchange) throws JsonProcessingException {
        String partner = exchange.getProperty(HubHeaders.PARTNER, String.class);
        String id = exchange.getMessage().getHeader("alertId", String.class);
        UUID alertId;
        try {
            alertId = UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UnknownRecord("unknown_alert", "No camera alert " + id);
        }
        List<Map<String, Object>> rows = jdbc.queryForList("select site_id, status, episode from camera_alert where alert_id = ?",
                alertId.toString());
        if (rows.isEmpty()) {
            throw new UnknownRecord("unknown_alert", "No camera alert " + alertId);
        }
        Site site = sites.find((String) rows.get(0).get("site_id")).orElseThrow();
        if (!partner.equals(site.verifier()) && !partner.equals(site.duty())) {
            throw new NotPermitted("not_the_verifier", "Only " + site.verifier() + " (or " + site.duty()
                    + " once escalated) verifies the alerts of site " + site.id());
        }
        JsonNode answer = exchange.getMessage().getBody(JsonNode.class);
        String outcome = answer.path("outcome").asText();
        String status = (String) rows.get(0).get("status");
        if (!outcome.equals("confirmed") && !outcome.equals("false_alarm")) {
            throw new IntakeRejectedException(422, "invalid_verification", "outcome is confirmed or false_alarm");
        }
        if (status.equals(outcome)) {
            exchange.setProperty(VERDICT, "unchanged");
            exchange.getMessage().setBody(result(alertId, "unchanged"));
            return;
        }
        if (!status.equals("pending") && !status.equals("escalated")) {
            throw new ConflictingState("already_verified", "The alert is already " + status);
        }
        exchange.setProperty("cphubAlertId", alertId.toString());
        exchange.setProperty(VERDICT, outcome);
        if (outcome.equals("false_alarm")) {
            decide(alertId, "false_alarm", partner, null);
            exchange.getMessage().setBody(result(alertId, "false_alarm"));
            return;
        }
        exchange.setProperty(HubHeaders.PARTNER, "cctv");
        exchange.setProperty("cphubVerifier", partner);
        exchange.getMessage().setBody(incident(alertId, site, json.readTree((String) rows.get(0).get("episode")), answer));
    }

    /** After the confirmed alert's incident is on cphub.intake. */
    public void confirmed(Exchange exchange) {
        UUID alertId = UUID.fromString(exchange.getProperty("cphubAlertId", String.class));
        String incidentId = exchange.getMessage().getHeader(HubHeaders.INCIDENT_ID, String.class);
        decide(alertId, "confirmed", exchange.getProperty("cphubVerifier", String.class), incidentId);
        exchange.getMessage().setBody(result(alertId, "confirmed").put("incidentId", incidentId));
    }

    private void decide(UUID alertId, String status, String partner, String incidentId) {
        jdbc.update("update camera_alert set status = ?, verified_by = ?, incident_id = ?, updated_at = ?"
                        + " where alert_id = ? and status in ('pending', 'escalated')",
                status, partner, incidentId, Timestamp.from(clock.instant()), alertId.toString());
        journey.record(alertId.toString(), null, partner, Journey.Step.STATUS_REPORTED, null, status, null);
        LOG.info("Camera alert {}: {} by {}", alertId, status, partner);
    }

    private ObjectNode result(UUID alertId, String outcome) {
        return json.createObjectNode().put("alertId", alertId.toString()).put("outcome", outcome);
    }

    /** The canonical incident of a confirmed alert: where, what the camera saw, and the snapshot references. */
    private ObjectNode incident(UUID alertId, Site site, JsonNode episode, JsonNode answer) {
        String category = answer.path("category").asText("other");
        if (!CATEGORIES.contains(category)) {
            throw new IntakeRejectedException(422, "invalid_verification", "category is one of " + CATEGORIES);
        }
        int priority = answer.path("priority").asInt(2);
        if (priority < 1 || priority > 4) {
            throw new IntakeRejectedException(422, "invalid_verification", "priority is 1 to 4");
        }
        ObjectNode incident = json.createObjectNode().put("schemaVersion", "1").put("messageType", "alert");
        incident.putObject("source").put("system", "cctv").put("eventId", alertId.toString()).put("channel", "cctv");
        OffsetDateTime first = Instant.parse(episode.get("firstAt").asText())
                .atOffset(ZoneOffset.of(episode.path("offset").asText("+00:00")));
        incident.put("occurredAt", first.format(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX")));
        incident.put("category", category).put("certainty", "suspected").put("priority", priority);
        if (answer.has("signsOfCrime")) {
            incident.put("signsOfCrime", answer.get("signsOfCrime").asBoolean());
        }
        ObjectNode location = incident.putObject("location").put("siteId", site.id());
        if (site.commune() != null) {
            location.put("commune", site.commune());
        }
        if (site.district() != null) {
            location.put("district", site.district());
        }
        if (site.address() != null) {
            location.put("address", site.address());
        }
        if (site.lat() != null && site.lon() != null) {
            location.put("lat", site.lat()).put("lon", site.lon());
        }
        var evidence = incident.putArray("evidence");
        for (JsonNode snapshot : episode.path("snapshots")) {
            evidence.addObject().put("kind", "snapshot").put("ref", "evidence:" + snapshot.get("sha256").asText())
                    .put("sha256", snapshot.get("sha256").asText()).put("mediaType", snapshot.get("mediaType").asText())
                    .put("camera", episode.get("deviceId").asText()).put("channel", episode.get("channel").asText());
        }
        String seen = "Camera " + episode.get("deviceId").asText() + " (" + episode.get("area").asText() + "): "
                + episode.get("eventType").asText() + ", " + episode.get("events").asInt() + " event(s) from "
                + episode.get("firstAt").asText() + " to " + episode.get("lastAt").asText() + "; confirmed by the site's verifier.";
        incident.put("narrative", answer.hasNonNull("note") ? seen + "\n" + answer.get("note").asText() : seen);
        return incident;
    }

    private ObjectNode message(String kind, UUID alertId, Site site, JsonNode episode) {
        ObjectNode message = json.createObjectNode().put("kind", kind).put("alertId", alertId.toString())
                .put("siteId", site.id()).put("siteName", site.name());
        for (String field : List.of("deviceId", "channel", "area", "eventType", "firstAt", "lastAt", "events", "objectClass", "confidence")) {
            if (episode.hasNonNull(field)) {
                message.set(field, episode.get(field));
            }
        }
        message.set("snapshots", episode.path("snapshots"));
        message.put("answerAt", "/api/v1/camera-alerts/" + alertId + "/verification");
        return message;
    }
}

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
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.config.OperatorFiles;
import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;
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
 *
 * <p>The alert's flow is routes/camera-alerts.camel.yaml: its row's changes are sql: steps there and its body
 * is routes/mappings/camera-alert.jsonata; the methods here read the episode and the site for those steps.
 * The verification answers (partner API) are checked and decided here.
 */
@Component("cameraAlerts")
public class CameraAlerts {

    private static final Logger LOG = LoggerFactory.getLogger(CameraAlerts.class);
    static final String TASK = "camera-alert-verification";
    /** Exchange property: the verdict of a verification request. */
    public static final String VERDICT = "cphubVerdict";
    private static final String ALERT_ID = "cphubAlertId";
    private static final String SITE = "cphubAlertSite";
    private static final String EPISODE = "cphubAlertEpisode";
    private static final String AT = "cphubAlertAt";
    private static final String VERIFY_BY = "cphubAlertVerifyBy";
    private static final Set<String> CATEGORIES = Set.of("violence", "sexual_abuse", "exploitation", "neglect", "abandonment",
            "trafficking", "other");

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final SiteRegistry sites;
    private final Journey journey;
    private final SchedulerClient scheduler;
    private final OneTimeTask<Void> task;
    private final Duration verifyWithin;

    public CameraAlerts(JdbcTemplate jdbc, ObjectMapper json, Clock clock, SiteRegistry sites, PartnerRegistry partners,
                        Journey journey, @Lazy SchedulerClient scheduler,
                        @Lazy OneTimeTask<Void> cameraAlertVerificationTask,
                        @Value("${cphub.cctv.verify-within}") Duration verifyWithin, OperatorFiles files) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.sites = sites;
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

    /**
     * From cphub.camera-alerts (routes/camera-alerts.camel.yaml): the episode's alert, as exchange properties for
     * the route's sql: and send steps: {@code cphubAlertId}, {@code cphubAlertSite}, {@code cphubAlertDevice},
     * {@code cphubAlertVerifier}, {@code cphubAlertEpisode} (the episode as text), {@code cphubAlertAt} (now).
     */
    public void open(Exchange exchange) throws JsonProcessingException {
        String episodeJson = exchange.getMessage().getBody(String.class);
        JsonNode episode = json.readTree(episodeJson);
        Site site = sites.find(episode.get("siteId").asText()).orElseThrow();
        exchange.setProperty(ALERT_ID, alertId(episode).toString());
        exchange.setProperty(SITE, site.id());
        exchange.setProperty("cphubAlertDevice", episode.get("deviceId").asText());
        exchange.setProperty("cphubAlertVerifier", site.verifier());
        exchange.setProperty(EPISODE, episodeJson);
        exchange.setProperty(AT, Timestamp.from(clock.instant()));
    }

    /** The input of routes/mappings/camera-alert.jsonata for the site's verifier, who answers by {@code verifyBy}. */
    public void forVerifier(Exchange exchange) throws JsonProcessingException {
        Instant verifyBy = exchange.getProperty(AT, Timestamp.class).toInstant().plus(verifyWithin);
        exchange.setProperty(VERIFY_BY, verifyBy);
        exchange.getMessage().setBody(mappingInput("camera-alert", exchange).put("verifyBy", verifyBy.toString()));
    }

    /** After the alert is on the verifier's queue: the timer that escalates it, and the alert's journey. */
    public void awaitVerification(Exchange exchange) {
        String alertId = exchange.getProperty(ALERT_ID, String.class);
        scheduler.scheduleIfNotExists(task.instance(alertId), exchange.getProperty(VERIFY_BY, Instant.class));
        journey.record(alertId, null, exchange.getProperty("cphubAlertVerifier", String.class), Journey.Step.ROUTED, null,
                "camera-alert", null);
    }

    /**
     * The timer has fired for a pending alert (the route's body: its row): the input of
     * routes/mappings/camera-alert.jsonata for the site's duty partner ({@code cphubAlertDuty}).
     */
    public void forDuty(Exchange exchange) throws JsonProcessingException {
        Map<?, ?> row = exchange.getMessage().getBody(Map.class);
        Site site = sites.find((String) row.get("site_id")).orElseThrow();
        exchange.setProperty(SITE, site.id());
        exchange.setProperty("cphubAlertDuty", site.duty());
        exchange.setProperty(EPISODE, row.get("episode"));
        exchange.setProperty(AT, Timestamp.from(clock.instant()));
        exchange.getMessage().setBody(mappingInput("camera-alert-escalation", exchange)
                .put("reason", "not verified by " + site.verifier() + " within " + verifyWithin));
    }

    /** After the escalation is on the duty partner's queue and the alert marked escalated. */
    public void escalated(Exchange exchange) {
        journey.record(exchange.getProperty(ALERT_ID, String.class), null, exchange.getProperty("cphubAlertDuty", String.class),
                Journey.Step.ESCALATED, null, "camera-alert", null);
    }

    private ObjectNode mappingInput(String kind, Exchange exchange) throws JsonProcessingException {
        Site site = sites.find(exchange.getProperty(SITE, String.class)).orElseThrow();
        ObjectNode input = json.createObjectNode().put("kind", kind).put("alertId", exchange.getProperty(ALERT_ID, String.class));
        input.putObject("site").put("id", site.id()).put("name", site.name());
        input.set("episode", json.readTree(exchange.getProperty(EPISODE, String.class)));
        return input;
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
            throw new IntakeRejectedException(Refusal.INVALID, "invalid_verification", "outcome is confirmed or false_alarm");
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
            throw new IntakeRejectedException(Refusal.INVALID, "invalid_verification", "category is one of " + CATEGORIES);
        }
        int priority = answer.path("priority").asInt(2);
        if (priority < 1 || priority > 4) {
            throw new IntakeRejectedException(Refusal.INVALID, "invalid_verification", "priority is 1 to 4");
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
}

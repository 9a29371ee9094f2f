package vn.quangninh.cphub.cctv;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;
import vn.quangninh.cphub.site.SiteRegistry;

/**
 * Reads a message of the Frigate NVR from MQTT: {@code frigate/events} ({@code {type: new|update|end,
 * before, after: {id, camera, label, score, top_score, false_positive, start_time, end_time,
 * current_zones, entered_zones}}}) and {@code frigate/reviews} ({@code {type, after: {id, camera, severity,
 * start_time, end_time, data: {objects, zones}}}}). A detection starts with {@code new} and stops with
 * {@code end}; updates, false positives and reviews of severity "detection" are no alarm
 * ({@link #NOT_AN_ALARM}). The camera is found by Frigate's name in config/sites.yaml; the zone is the
 * channel. The body becomes one {@link CameraEvent}.
 */
@Component("frigateEventReader")
public class FrigateEventReader implements Processor {

    /** Exchange property: the message is no alarm and goes no further. */
    public static final String NOT_AN_ALARM = "cphubNotAnAlarm";

    private final ObjectMapper json;
    private final SiteRegistry sites;

    public FrigateEventReader(ObjectMapper json, SiteRegistry sites) {
        this.json = json;
        this.sites = sites;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        exchange.setProperty(HubHeaders.RAW_BODY, raw == null ? new byte[0] : raw);
        String topic = exchange.getMessage().getHeader("CamelMqttTopic", "", String.class);
        JsonNode message;
        try {
            message = json.readTree(raw == null ? new byte[0] : raw);
        } catch (IOException e) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "malformed_json", "A Frigate message on " + topic + " is not JSON");
        }
        JsonNode after = message == null ? null : message.get("after");
        String type = message == null ? "" : message.path("type").asText();
        if (after == null || !after.isObject() || !after.path("camera").isTextual()) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "invalid_frigate_message", "A Frigate message needs after.camera");
        }
        SiteRegistry.SiteDevice device = sites.frigateCamera(after.get("camera").asText()).orElseThrow(() ->
                new IntakeRejectedException(Refusal.NOT_PERMITTED, "unknown_device", "No Frigate camera '" + after.get("camera").asText()
                        + "' in config/sites.yaml"));
        exchange.setProperty(DeviceGuard.DEVICE, device);
        exchange.setProperty(HubHeaders.PARTNER, "device:" + device.device().id());
        boolean review = topic.endsWith("reviews");
        boolean alarm = switch (type) {
            case "new", "end" -> review ? "alert".equals(after.path("severity").asText()) : !after.path("false_positive").asBoolean(false);
            default -> false;
        };
        if (!alarm) {
            exchange.setProperty(NOT_AN_ALARM, true);
            return;
        }
        JsonNode zones = review ? after.path("data").path("zones") : after.path("entered_zones");
        String zone = zones.isArray() && !zones.isEmpty() ? zones.get(0).asText() : "all";
        String label = review ? after.path("data").path("objects").path(0).asText("object") : after.path("label").asText("object");
        JsonNode time = type.equals("end") && after.hasNonNull("end_time") ? after.get("end_time") : after.get("start_time");
        if (time == null || !time.isNumber()) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "invalid_frigate_message", "start_time (and end_time at the end) are epoch seconds");
        }
        Instant at = Instant.ofEpochMilli(new BigDecimal(time.asText()).movePointRight(3).longValue());
        String offset = ZoneId.of(device.device().timeZone()).getRules().getOffset(at).getId();
        Double confidence = after.path("top_score").isNumber() ? after.get("top_score").asDouble()
                : after.path("score").isNumber() ? after.get("score").asDouble() : null;
        String rawType = (review ? "review:" : "event:") + label;
        String state = type.equals("new") ? "start" : "stop";
        String utc = DateTimeFormatter.ISO_INSTANT.format(at);
        CameraEvent event = new CameraEvent("frigate", device.device().id(), device.site().id(), zone, device.device().area(zone),
                rawType, "object", state, utc, offset.equals("Z") ? "+00:00" : offset, label, confidence, null,
                CameraEvent.episodeKey(device.device().id(), zone, "object"),
                CameraEvent.dedupeKey(device.device().id(), zone, rawType, state, utc, after.path("id").asText(null)));
        exchange.getMessage().setBody(new String(json.writeValueAsBytes(event), StandardCharsets.UTF_8));
        exchange.getMessage().setHeader(HikvisionAlertReader.EPISODE_KEY, event.episodeKey());
    }
}

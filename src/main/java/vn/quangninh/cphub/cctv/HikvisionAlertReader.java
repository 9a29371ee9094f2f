package vn.quangninh.cphub.cctv;

import java.io.IOException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import org.w3c.dom.Element;

import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;
import vn.quangninh.cphub.intake.RawBodyFilter;
import vn.quangninh.cphub.site.SiteRegistry;

/**
 * Reads a Hikvision ISAPI alarm push ({@code EventNotificationAlert}): XML (elements matched by local
 * name, so {@code hikvision.com/ver10}, {@code /ver20} and {@code isapi.org/ver20} firmware all fit), its JSON
 * variant, or {@code multipart/form-data} with the XML or JSON part and JPEG parts (stored by the
 * {@link EvidenceStore}; only their references go on). A {@code dateTime} without an offset is read in
 * the device's zone. Heartbeats ({@code heartBeat}, or {@code videoloss} inactive, which cameras send
 * periodically) set {@link #HEARTBEAT} and go no further. The body becomes one {@link CameraEvent}.
 */
@Component("hikvisionAlertReader")
public class HikvisionAlertReader implements Processor {

    /** Exchange property: the push was a heartbeat, answered and dropped. */
    public static final String HEARTBEAT = "cphubHeartbeat";
    /** Header: the episode the event belongs to (device/channel/eventType), the aggregator's correlation. */
    public static final String EPISODE_KEY = "cphubEpisodeKey";

    static final Map<String, String> EVENT_TYPES = Map.ofEntries(
            Map.entry("vmd", "motion"), Map.entry("pir", "motion"), Map.entry("motiondetection", "motion"),
            Map.entry("linedetection", "line_crossing"), Map.entry("fielddetection", "intrusion"),
            Map.entry("regionentrance", "intrusion"), Map.entry("regionexiting", "intrusion"),
            Map.entry("videoloss", "video_loss"), Map.entry("shelteralarm", "tamper"), Map.entry("tamperdetection", "tamper"),
            Map.entry("facedetection", "object"), Map.entry("humandetection", "object"));

    private final ObjectMapper json;
    private final EvidenceStore evidence;

    public HikvisionAlertReader(ObjectMapper json, EvidenceStore evidence) {
        this.json = json;
        this.evidence = evidence;
    }

    /** The fields of one alert, whichever encoding carried them. */
    record Alert(String mac, String channel, String dateTime, String eventType, String eventState, String target,
                 Double confidence, String postCount) {
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        SiteRegistry.SiteDevice device = exchange.getProperty(DeviceGuard.DEVICE, SiteRegistry.SiteDevice.class);
        byte[] body = exchange.getProperty(DeviceGuard.BODY, byte[].class);
        String originalType = contentType(exchange);
        String type = originalType.toLowerCase(Locale.ROOT);
        List<EvidenceStore.Stored> snapshots = new ArrayList<>();
        Alert alert;
        if (type.startsWith("multipart/form-data")) {
            List<MultipartBody.Part> parts = MultipartBody.parts(originalType, body);
            Alert found = null;
            for (MultipartBody.Part part : parts) {
                if (part.contentType().equals("image/jpeg")) {
                    continue;
                }
                if (found == null && (part.contentType().contains("xml") || part.contentType().contains("json"))) {
                    found = part.contentType().contains("xml") ? fromXml(part.bytes()) : fromJson(part.bytes());
                }
            }
            if (found == null) {
                throw new IntakeRejectedException(Refusal.MALFORMED, "no_alert_part", "The multipart body has no XML or JSON alert part");
            }
            alert = found;
            if (!isHeartbeat(alert)) {
                for (MultipartBody.Part part : parts) {
                    if (part.contentType().equals("image/jpeg")) {
                        snapshots.add(evidence.put(part.bytes(), device.device().id()));
                    }
                }
            }
        } else if (type.contains("xml")) {
            alert = fromXml(body);
        } else if (type.contains("json")) {
            alert = fromJson(body);
        } else {
            throw new IntakeRejectedException(Refusal.UNSUPPORTED, "unsupported_media_type",
                    "Send the alarm as application/xml, application/json or multipart/form-data");
        }
        if (isHeartbeat(alert)) {
            exchange.setProperty(HEARTBEAT, true);
            return;
        }
        if (device.device().mac() != null && alert.mac() != null && !device.device().mac().equalsIgnoreCase(alert.mac())) {
            throw new IntakeRejectedException(Refusal.NOT_PERMITTED, "wrong_device", "The alarm names another device than the one of this URL");
        }
        CameraEvent event = event(alert, device, snapshots);
        exchange.getMessage().setBody(json.writeValueAsString(event));
        exchange.getMessage().setHeader(EPISODE_KEY, event.episodeKey());
    }

    private CameraEvent event(Alert alert, SiteRegistry.SiteDevice device, List<EvidenceStore.Stored> snapshots) {
        String raw = alert.eventType();
        String mapped = EVENT_TYPES.getOrDefault(raw.toLowerCase(Locale.ROOT), "other");
        String state = switch (alert.eventState() == null ? "active" : alert.eventState().toLowerCase(Locale.ROOT)) {
            case "inactive" -> "stop";
            case "active" -> mapped.equals("line_crossing") || mapped.equals("intrusion") ? "pulse" : "start";
            default -> throw new IntakeRejectedException(Refusal.MALFORMED, "invalid_alert", "eventState is active or inactive");
        };
        OffsetDateTime at = time(alert.dateTime(), ZoneId.of(device.device().timeZone()));
        String channel = alert.channel() == null ? "1" : alert.channel();
        String utc = DateTimeFormatter.ISO_INSTANT.format(at.toInstant());
        return new CameraEvent("hikvision", device.device().id(), device.site().id(), channel, device.device().area(channel),
                raw, mapped, state, utc, at.getOffset().getId().equals("Z") ? "+00:00" : at.getOffset().getId(), alert.target(),
                alert.confidence(), snapshots.isEmpty() ? null : snapshots, CameraEvent.episodeKey(device.device().id(), channel, mapped),
                CameraEvent.dedupeKey(device.device().id(), channel, raw, state, utc, alert.postCount()));
    }

    /** An ISAPI time: with an offset as sent, without one in the device's zone. */
    static OffsetDateTime time(String dateTime, ZoneId deviceZone) {
        if (dateTime == null) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "invalid_alert", "dateTime is missing");
        }
        try {
            return OffsetDateTime.parse(dateTime);
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(dateTime).atZone(deviceZone).toOffsetDateTime();
            } catch (DateTimeParseException e) {
                throw new IntakeRejectedException(Refusal.MALFORMED, "invalid_alert", "dateTime is not an ISO-8601 time");
            }
        }
    }

    private static boolean isHeartbeat(Alert alert) {
        String type = alert.eventType().toLowerCase(Locale.ROOT);
        return type.equals("heartbeat") || (type.equals("videoloss") && "inactive".equalsIgnoreCase(alert.eventState()));
    }

    private static Alert fromXml(byte[] xml) {
        Element root = SafeXml.parse(xml).getDocumentElement();
        if (!"EventNotificationAlert".equals(root.getLocalName())) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "invalid_alert", "The XML is not an EventNotificationAlert");
        }
        Optional<String> eventType = SafeXml.text(root, "eventType");
        return new Alert(SafeXml.text(root, "macAddress").orElse(null),
                SafeXml.text(root, "channelID").or(() -> SafeXml.text(root, "dynChannelID")).orElse(null),
                SafeXml.text(root, "dateTime").orElse(null),
                eventType.orElseThrow(() -> new IntakeRejectedException(Refusal.MALFORMED, "invalid_alert", "eventType is missing")),
                SafeXml.text(root, "eventState").orElse(null),
                SafeXml.text(root, "detectionTarget").orElse(null), null, SafeXml.text(root, "activePostCount").orElse(null));
    }

    private Alert fromJson(byte[] body) {
        JsonNode alert;
        try {
            alert = json.readTree(body);
        } catch (IOException e) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "malformed_json", "The body is not JSON");
        }
        if (alert == null || !alert.isObject() || !alert.path("eventType").isTextual()) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "invalid_alert", "The JSON alert has no eventType");
        }
        JsonNode target = alert.path("DetectionRegionList").path(0).path("detectionTarget");
        return new Alert(text(alert, "macAddress"), alert.has("channelID") ? alert.get("channelID").asText() : null,
                text(alert, "dateTime"), alert.get("eventType").asText(), text(alert, "eventState"),
                target.isTextual() ? target.asText() : null,
                alert.path("confidence").isNumber() ? alert.get("confidence").asDouble() : null, text(alert, "activePostCount"));
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isValueNode() ? node.get(field).asText() : null;
    }

    private static String contentType(Exchange exchange) {
        String type = exchange.getMessage().getHeader(RawBodyFilter.ORIGINAL_CONTENT_TYPE,
                exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class), String.class);
        return type == null ? "" : type.trim();
    }

}

package vn.quangninh.cphub.cctv;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;
import vn.quangninh.cphub.site.SiteRegistry;

/**
 * Reads an ONVIF WS-BaseNotification {@code Notify} (SOAP 1.2 or 1.1) a camera pushes: each
 * {@code NotificationMessage} with its {@code Topic} and {@code tt:Message} (UtcTime, PropertyOperation,
 * Source and Data {@code SimpleItem}s). {@code Initialized} and {@code Deleted} report a state, not an
 * alarm, and are dropped; {@code Changed} with a true state starts an event, with a false one stops it; a
 * line crossing is a pulse. The body becomes the list of {@link CameraEvent}s (JSON), possibly empty.
 */
@Component("onvifNotifyReader")
public class OnvifNotifyReader implements Processor {

    /** Topic (without its prefix) → the hub's event type. */
    static final Map<String, String> TOPICS = Map.of(
            "RuleEngine/CellMotionDetector/Motion", "motion",
            "VideoSource/MotionAlarm", "motion",
            "Device/Tampering", "tamper",
            "RuleEngine/TamperDetector/Tamper", "tamper",
            "VideoSource/GlobalSceneChange/ImagingService", "tamper",
            "RuleEngine/LineDetector/Crossed", "line_crossing",
            "RuleEngine/FieldDetector/ObjectsInside", "intrusion",
            "VideoSource/SignalLoss", "video_loss");

    private final ObjectMapper json;

    public OnvifNotifyReader(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        SiteRegistry.SiteDevice device = exchange.getProperty(DeviceGuard.DEVICE, SiteRegistry.SiteDevice.class);
        Element root = SafeXml.parse(exchange.getProperty(DeviceGuard.BODY, byte[].class)).getDocumentElement();
        Element notify = "Notify".equals(root.getLocalName()) ? root : SafeXml.first(root, "Notify").orElseThrow(() ->
                new IntakeRejectedException(Refusal.MALFORMED, "invalid_notify", "No wsnt:Notify in the body"));
        NodeList messages = notify.getElementsByTagNameNS("*", "NotificationMessage");
        if (messages.getLength() == 0) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "invalid_notify", "The Notify has no NotificationMessage");
        }
        List<String> events = new ArrayList<>();
        for (int i = 0; i < messages.getLength(); i++) {
            CameraEvent event = event((Element) messages.item(i), device);
            if (event != null) {
                events.add(json.writeValueAsString(event));
            }
        }
        exchange.getMessage().setBody(events);
    }

    private static CameraEvent event(Element notification, SiteRegistry.SiteDevice device) {
        String topic = SafeXml.text(notification, "Topic").orElseThrow(() ->
                new IntakeRejectedException(Refusal.MALFORMED, "invalid_notify", "A NotificationMessage has no Topic"));
        String path = topic.contains(":") ? topic.substring(topic.indexOf(':') + 1) : topic;
        Element message = SafeXml.first(SafeXml.first(notification, "Message").orElseThrow(() ->
                new IntakeRejectedException(Refusal.MALFORMED, "invalid_notify", "A NotificationMessage has no Message")), "Message")
                .orElseGet(() -> SafeXml.first(notification, "Message").get());
        String operation = message.getAttribute("PropertyOperation");
        if (operation.equals("Initialized") || operation.equals("Deleted")) {
            return null; // the state at subscription, or a property going away: not an alarm
        }
        String mapped = TOPICS.getOrDefault(path, "other");
        Boolean state = null;
        String channel = null;
        NodeList items = message.getElementsByTagNameNS("*", "SimpleItem");
        for (int i = 0; i < items.getLength(); i++) {
            Element item = (Element) items.item(i);
            String parent = item.getParentNode().getLocalName();
            String value = item.getAttribute("Value");
            if ("Source".equals(parent) && channel == null) {
                channel = value;
            } else if ("Data".equals(parent) && (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false"))) {
                state = Boolean.parseBoolean(value.toLowerCase(Locale.ROOT));
            }
        }
        String phase = mapped.equals("line_crossing") || state == null ? "pulse" : state ? "start" : "stop";
        Instant at;
        try {
            at = Instant.parse(message.getAttribute("UtcTime"));
        } catch (DateTimeParseException e) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "invalid_notify", "UtcTime is not an ISO-8601 UTC time");
        }
        String source = channel == null ? "1" : channel;
        String offset = ZoneId.of(device.device().timeZone()).getRules().getOffset(at).getId();
        String utc = DateTimeFormatter.ISO_INSTANT.format(at);
        return new CameraEvent("onvif", device.device().id(), device.site().id(), source, device.device().area(source), path,
                mapped, phase, utc, offset.equals("Z") ? "+00:00" : offset, null, null, null,
                CameraEvent.episodeKey(device.device().id(), source, mapped), CameraEvent.dedupeKey(device.device().id(), source, path, phase, utc, null));
    }
}

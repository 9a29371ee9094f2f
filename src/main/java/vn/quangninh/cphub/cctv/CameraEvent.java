package vn.quangninh.cphub.cctv;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One camera event in the hub's own shape, whatever the vendor: what cphub.camera-events carries and the
 * episodes collect. No image: snapshots are references into the {@link EvidenceStore}.
 *
 * @param rawEventType the vendor's event type (e.g. Hikvision "linedetection")
 * @param eventType    motion | line_crossing | intrusion | tamper | video_loss | object | other
 * @param state        start | stop | pulse
 * @param at           UTC, ISO-8601
 * @param offset       the offset the device gave or its configured zone had at that time ("+07:00")
 * @param episodeKey   device/channel/eventType: the events of one episode share it
 * @param dedupeKey    the same event sent twice (a device's retry, an MQTT redelivery) has the same key and
 *                     counts once in its episode
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CameraEvent(String vendor, String deviceId, String siteId, String channel, String area, String rawEventType,
                          String eventType, String state, String at, String offset, String objectClass, Double confidence,
                          List<EvidenceStore.Stored> snapshots, String episodeKey, String dedupeKey) {

    public static String episodeKey(String deviceId, String channel, String eventType) {
        return deviceId + "/" + channel + "/" + eventType;
    }

    /** The key of one event: device, channel, raw type, state and time (plus the vendor's own id when it has one). */
    public static String dedupeKey(String deviceId, String channel, String rawEventType, String state, String at, String vendorId) {
        return deviceId + "/" + channel + "/" + rawEventType + "/" + state + "/" + at + (vendorId == null ? "" : "/" + vendorId);
    }
}

package vn.quangninh.cphub.site;

import java.util.Map;

/**
 * A camera or video recorder of a site ({@code config/sites.yaml}).
 *
 * @param id        stable id, named in alerts
 * @param vendor    hikvision | onvif | frigate
 * @param key       the secret in the device's alarm-server URL ({@code /cctv/hikvision/<key>}); give it as
 *                  {@code ${ENV_NAME}} so that it lives outside the file. Not for frigate (MQTT).
 * @param mac       optional: the MAC address the device reports; an alert naming another is refused
 * @param camera    Frigate's camera name (frigate only)
 * @param timeZone  the zone of the device's clock, for times it sends without an offset
 * @param channels  channel id → the area it watches ("1" → "main gate")
 */
public record Device(String id, String vendor, String key, String mac, String camera, String timeZone,
                     Map<String, String> channels) {

    /** The area a channel watches, or "channel N" when the file does not name it. */
    public String area(String channel) {
        return channels != null && channel != null && channels.containsKey(channel) ? channels.get(channel) : "channel " + channel;
    }
}

package vn.quangninh.cphub.cctv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.springframework.stereotype.Component;

/**
 * The keys of a camera event (JSON): its episode key, for connectors that send several events from one message,
 * and its dedupe key, which camera-episodes takes each event once by (on every hub instance).
 */
@Component("cameraEventKeys")
public class CameraEventKeys {

    private final ObjectMapper json;

    public CameraEventKeys(ObjectMapper json) {
        this.json = json;
    }

    public String episodeKey(@Body String event) throws JsonProcessingException {
        return json.readTree(event).get("episodeKey").asText();
    }

    /** The event's dedupe key as a name-based UUID: the same length for every vendor's key (a store column). */
    public String dedupeKey(@Body String event) throws JsonProcessingException {
        String key = json.readTree(event).get("dedupeKey").asText();
        return java.util.UUID.nameUUIDFromBytes(("cphub/camera-event/" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }
}

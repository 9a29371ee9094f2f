package vn.quangninh.cphub.cctv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.springframework.stereotype.Component;

/** The episode key of a camera event (JSON), for connectors that send several events from one message. */
@Component("cameraEventKeys")
public class CameraEventKeys {

    private final ObjectMapper json;

    public CameraEventKeys(ObjectMapper json) {
        this.json = json;
    }

    public String episodeKey(@Body String event) throws JsonProcessingException {
        return json.readTree(event).get("episodeKey").asText();
    }
}

package vn.quangninh.cphub.cctv;

import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Collapses the camera events of one device, channel and event type into one episode (the body, JSON):
 * first and last time, how many events, the raw types seen, the highest confidence and at most
 * {@code cphub.cctv.episode-max-snapshots} snapshot references; an event seen again (same dedupe key, among
 * the last {@value #SEEN}) counts once. An event with state {@code stop} ends the
 * episode (header {@link #ENDED}); otherwise the aggregator ends it after the quiet window. The episode
 * is a String, so the JDBC aggregation repository keeps it across a restart.
 */
@Component("cameraEpisodes")
public class CameraEpisodes implements AggregationStrategy {

    /** How many recent event keys an episode remembers to count a repeated event once. */
    static final int SEEN = 64;

    /** Header: the episode has seen its stop event. */
    public static final String ENDED = "cphubEpisodeEnded";

    private final ObjectMapper json;
    private final int maxSnapshots;

    public CameraEpisodes(ObjectMapper json, @Value("${cphub.cctv.episode-max-snapshots}") int maxSnapshots) {
        this.json = json;
        this.maxSnapshots = maxSnapshots;
    }

    @Override
    public Exchange aggregate(Exchange episode, Exchange event) {
        try {
            JsonNode e = json.readTree(event.getMessage().getBody(String.class));
            ObjectNode merged;
            if (episode == null) {
                merged = json.createObjectNode();
                for (String field : new String[] {"episodeKey", "vendor", "deviceId", "siteId", "channel", "area", "eventType", "offset"}) {
                    merged.set(field, e.get(field));
                }
                merged.put("firstAt", e.get("at").asText()).put("lastAt", e.get("at").asText()).put("events", 0);
                merged.putArray("rawEventTypes");
                merged.putArray("snapshots");
                episode = event;
            } else {
                merged = (ObjectNode) json.readTree(episode.getMessage().getBody(String.class));
            }
            ArrayNode seen = merged.has("seen") ? (ArrayNode) merged.get("seen") : merged.putArray("seen");
            String key = e.path("dedupeKey").asText("");
            if (!key.isEmpty() && seen.toString().contains(json.writeValueAsString(key))) {
                return episode; // the same event again: it counts once
            }
            seen.add(key);
            if (seen.size() > SEEN) {
                seen.remove(0);
            }
            String at = e.get("at").asText();
            if (at.compareTo(merged.get("firstAt").asText()) < 0) {
                merged.put("firstAt", at);
            }
            if (at.compareTo(merged.get("lastAt").asText()) > 0) {
                merged.put("lastAt", at);
            }
            merged.put("events", merged.get("events").asInt() + 1);
            ArrayNode raw = (ArrayNode) merged.get("rawEventTypes");
            if (!raw.toString().contains("\"" + e.path("rawEventType").asText() + "\"")) {
                raw.add(e.path("rawEventType").asText());
            }
            if (e.hasNonNull("objectClass")) {
                merged.put("objectClass", e.get("objectClass").asText());
            }
            if (e.hasNonNull("confidence") && e.get("confidence").asDouble() > merged.path("confidence").asDouble(-1)) {
                merged.put("confidence", e.get("confidence").asDouble());
            }
            ArrayNode snapshots = (ArrayNode) merged.get("snapshots");
            for (JsonNode snapshot : e.path("snapshots")) {
                if (snapshots.size() < maxSnapshots) {
                    snapshots.add(snapshot);
                }
            }
            boolean ended = "stop".equals(e.path("state").asText());
            merged.put("ended", ended);
            episode.getMessage().setBody(merged.toString());
            episode.getMessage().setHeader(ENDED, ended);
            return episode;
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}

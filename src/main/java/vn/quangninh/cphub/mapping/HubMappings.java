package vn.quangninh.cphub.mapping;

import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The hub's own message bodies that a bean writes inside its transaction (a referral's status for the
 * reporter): {@code routes/mappings/NAME.jsonata}, run with Camel's jsonata component as the routes run theirs
 * (read once, like every mapping: an edit takes effect at the next start). Golden examples in
 * {@code routes/mappings/examples/NAME/} ({@code HubMappingsTest}). A body a route writes calls its mapping
 * from the route itself (routes/camera-alerts.camel.yaml).
 */
@Component
public class HubMappings {

    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final Path mappings;

    public HubMappings(ProducerTemplate producer, ObjectMapper json, @Value("${cphub.routes-dir}") String routesDir) {
        this.producer = producer;
        this.json = json;
        this.mappings = Path.of(routesDir, "mappings").toAbsolutePath().normalize();
    }

    /** The body {@code routes/mappings/<name>.jsonata} makes of {@code input}. */
    public ObjectNode apply(String name, ObjectNode input) {
        String uri = "jsonata:file:" + mappings.resolve(name + ".jsonata") + "?inputType=Jackson&outputType=JsonString&contentCache=true";
        String body = producer.requestBody(uri, input, String.class);
        try {
            return (ObjectNode) json.readTree(body);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("routes/mappings/" + name + ".jsonata did not give a JSON object", e);
        }
    }
}

package vn.quangninh.cphub.incident;

import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.springframework.stereotype.Component;

/** Validates a message against the canonical incident JSON Schema v1 and names every failing field. */
@Component
public class IncidentSchema {

    public static final String RESOURCE = "schema/incident-v1.schema.json";

    private final JsonSchema schema;

    public IncidentSchema() throws IOException {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(com.networknt.schema.PathType.JSON_POINTER)
                .build();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Schema " + RESOURCE + " is not on the classpath");
            }
            this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        }
    }

    /** @return one line per violation, "pointer: message", sorted; empty when the message is valid. */
    public List<String> violations(JsonNode message) {
        return schema.validate(message).stream()
                .sorted(Comparator.comparing(ValidationMessage::getInstanceLocation, Comparator.comparing(Object::toString))
                        .thenComparing(ValidationMessage::getMessage))
                .map(IncidentSchema::describe)
                .distinct()
                .toList();
    }

    private static String describe(ValidationMessage m) {
        String where = m.getInstanceLocation().toString();
        return (where.isEmpty() ? "/" : where) + ": " + m.getError();
    }
}

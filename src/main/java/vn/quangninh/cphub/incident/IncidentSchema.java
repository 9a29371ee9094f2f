package vn.quangninh.cphub.incident;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.springframework.stereotype.Component;

/**
 * Validates a message against the canonical incident JSON Schema v1 and names every failing field. Two
 * rules are stricter than JSON Schema's own: an {@code integer} is written as one (JSON Schema takes
 * {@code 9.0}, and a parser turns {@code 9.0000000000000000000001} and {@code 1e-999999} into 9 and 0), and
 * text holds no control characters (tab, line feed and carriage return aside).
 */
@Component
public class IncidentSchema {

    public static final String RESOURCE = "schema/incident-v1.schema.json";

    private final JsonSchema schema;
    private final JsonNode schemaTree;

    public IncidentSchema() throws IOException {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(com.networknt.schema.PathType.JSON_POINTER)
                .build();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Schema " + RESOURCE + " is not on the classpath");
            }
            this.schemaTree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
            this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaTree, config);
        }
    }

    /**
     * One way a message fails the schema.
     *
     * @param pointer  where, as a JSON pointer ("" for the message itself)
     * @param keyword  the JSON Schema keyword that failed ({@code maxItems}, {@code format}, {@code required}, …), or
     *                 {@code integer} / {@code control} for this class's own two rules
     * @param property for {@code required} and {@code additionalProperties}: the property concerned
     * @param limit    for {@code maxItems} and {@code maxLength}: the limit
     * @param text     what is wrong, never the value
     */
    public record Violation(String pointer, String keyword, String property, Integer limit, String text) {
        public String describe() {
            return where(pointer) + ": " + text;
        }
    }

    /** @return one line per violation, "pointer: message", sorted; empty when the message is valid. */
    public List<String> violations(JsonNode message) {
        return check(message).stream().map(Violation::describe).sorted().distinct().toList();
    }

    /** @return every violation, in the validator's order; empty when the message is valid. */
    public List<Violation> check(JsonNode message) {
        List<Violation> found = new ArrayList<>(schema.validate(message).stream().map(IncidentSchema::violation).toList());
        strict(schemaTree, message, "", found);
        return found;
    }

    /** Walks the message along the schema's properties and items, where the JSON Schema check is too lenient. */
    private static void strict(JsonNode schemaNode, JsonNode value, String pointer, List<Violation> found) {
        String type = schemaNode.path("type").asText("");
        if ("integer".equals(type) && value.isNumber() && !value.isIntegralNumber()) {
            found.add(new Violation(pointer, "integer", null, null,
                    "must be a whole number written without a fraction or an exponent"));
        }
        if ("string".equals(type) && value.isTextual() && hasControlCharacters(value.textValue())) {
            found.add(new Violation(pointer, "control", null, null, "must not contain control characters"));
        }
        if (value.isObject() && schemaNode.has("properties")) {
            value.fields().forEachRemaining(field -> {
                JsonNode property = schemaNode.get("properties").get(field.getKey());
                if (property != null) {
                    strict(property, field.getValue(), pointer + "/" + field.getKey(), found);
                }
            });
        }
        if (value.isArray() && schemaNode.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                strict(schemaNode.get("items"), value.get(i), pointer + "/" + i, found);
            }
        }
    }

    private static boolean hasControlCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f)) {
                return true;
            }
        }
        return false;
    }

    private static String where(String pointer) {
        return pointer.isEmpty() ? "/" : pointer;
    }

    private static Violation violation(ValidationMessage m) {
        Integer limit = null;
        if (Set.of("maxItems", "maxLength").contains(m.getType()) && m.getSchemaNode() != null) {
            JsonNode node = m.getSchemaNode().isIntegralNumber() ? m.getSchemaNode() : m.getSchemaNode().path(m.getType());
            limit = node.isIntegralNumber() ? node.intValue() : null;
        }
        return new Violation(m.getInstanceLocation().toString(), m.getType(), m.getProperty(), limit, m.getError());
    }
}

package vn.quangninh.cphub.incident;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

/**
 * Makes a candidate incident fit the schema by giving up what it can do without: an optional value that
 * does not fit is dropped (a list too long is cut to its limit, a narrative too long is cut to its limit),
 * and each change is written down as a {@link Note}. What an incident cannot exist without — its envelope
 * (schema version, message type, source and its event id) and its classification (category, certainty,
 * priority) — is never changed: a violation there is returned as it is, and the report must be refused.
 * <p>
 * For connectors whose sender cannot fix the report it already sent (a hospital's interface engine): a
 * child's report is never refused over an optional field.
 */
@Component
public class OptionalFieldRepair {

    /** The members an incident cannot exist without. */
    private static final Set<String> ESSENTIAL = Set.of("schemaVersion", "messageType", "source", "category",
            "certainty", "priority");
    /** Enough for every optional member of a schema-v1 incident to be dropped once. */
    private static final int MAX_REPAIRS = 500;

    /**
     * A data-quality note: what the hub changed in the report, never the value.
     *
     * @param field  JSON pointer in the candidate incident, e.g. {@code /subjects/0/name}
     * @param action {@code dropped} or {@code truncated}
     * @param reason why, e.g. "longer than 256 characters"
     */
    public record Note(String field, String action, String reason) {
    }

    /** The notes of what was given up, and what could not be repaired (empty when the incident now fits). */
    public record Result(List<Note> notes, List<IncidentSchema.Violation> unrepairable) {
    }

    private final IncidentSchema schema;

    public OptionalFieldRepair(IncidentSchema schema) {
        this.schema = schema;
    }

    /** Repairs {@code incident} in place. */
    public Result repair(ObjectNode incident) {
        List<Note> notes = new ArrayList<>();
        for (int round = 0; round < MAX_REPAIRS; round++) {
            List<IncidentSchema.Violation> violations = schema.check(incident);
            List<IncidentSchema.Violation> essential = violations.stream().filter(OptionalFieldRepair::essential).toList();
            if (!essential.isEmpty() || violations.isEmpty()) {
                return new Result(notes, essential);
            }
            // in pointer order, so that the same report always gets the same notes
            notes.add(repair(incident, violations.stream()
                    .min(java.util.Comparator.comparing(IncidentSchema.Violation::pointer)).orElseThrow()));
        }
        return new Result(notes, schema.check(incident));
    }

    private static boolean essential(IncidentSchema.Violation v) {
        String top = v.pointer().isEmpty() ? "" : JsonPointer.compile(v.pointer()).getMatchingProperty();
        if (v.pointer().isEmpty()) {
            // the message itself: a required member missing; an unknown member is dropped
            return !"additionalProperties".equals(v.keyword());
        }
        return ESSENTIAL.contains(top);
    }

    private static Note repair(ObjectNode incident, IncidentSchema.Violation v) {
        JsonNode target = incident.at(v.pointer());
        switch (v.keyword()) {
            case "maxItems" -> {
                ArrayNode list = (ArrayNode) target;
                int size = list.size();
                while (list.size() > v.limit()) {
                    list.remove(list.size() - 1);
                }
                return new Note(v.pointer(), "truncated", "kept the first " + v.limit() + " of " + size);
            }
            case "maxLength" -> {
                if (v.pointer().equals("/narrative")) {
                    incident.put("narrative", target.textValue().substring(0, v.limit()));
                    return new Note(v.pointer(), "truncated", "longer than " + v.limit() + " characters; the first kept");
                }
                remove(incident, v.pointer());
                return new Note(v.pointer(), "dropped", "longer than " + v.limit() + " characters");
            }
            case "additionalProperties" -> {
                String field = v.pointer() + "/" + v.property();
                remove(incident, field);
                return new Note(field, "dropped", "not a field of the incident schema");
            }
            case "required" -> {
                // an element of a list without what makes it one (an identifier without its value): the element goes
                remove(incident, v.pointer());
                return new Note(v.pointer(), "dropped", "has no " + v.property());
            }
            default -> {
                remove(incident, v.pointer());
                return new Note(v.pointer(), "dropped", reason(v.keyword()));
            }
        }
    }

    private static String reason(String keyword) {
        return switch (keyword) {
            case "format" -> "not in the format the schema requires";
            case "enum", "const" -> "not one of the values the schema allows";
            case "pattern" -> "not in the form the schema requires";
            case "type", "integer" -> "not of the type the schema requires";
            case "minimum", "maximum" -> "outside the range the schema allows";
            case "minLength", "minItems" -> "empty";
            case "control" -> "contains control characters";
            default -> "does not fit the schema (" + keyword + ")";
        };
    }

    /** Removes the member or element at {@code pointer}. */
    private static void remove(ObjectNode incident, String pointer) {
        JsonPointer at = JsonPointer.compile(pointer);
        JsonNode parent = incident.at(at.head());
        if (parent instanceof ObjectNode object) {
            object.remove(at.last().getMatchingProperty());
        } else if (parent instanceof ArrayNode array) {
            array.remove(at.last().getMatchingIndex());
        }
    }
}

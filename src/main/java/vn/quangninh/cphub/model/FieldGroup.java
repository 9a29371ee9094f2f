package vn.quangninh.cphub.model;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The groups of incident fields a redaction profile grants or withholds. Each group names the fields of
 * the canonical incident v1 it covers; fields in no group (ids, classification, commune, district, site)
 * go to every recipient.
 */
public enum FieldGroup {
    /** Who the people are: names, birth dates, identifiers. */
    IDENTITY("subjects[].name", "subjects[].birthDate", "subjects[].identifiers"),
    /** How to reach the reporter. */
    CONTACT("reporter.callerNumber"),
    /** Diagnoses and codes (ICD-10 T74.x, ...). */
    MEDICAL("codes"),
    /** The free-text account. */
    NARRATIVE("narrative"),
    /** References to snapshots, HL7 and FHIR messages, documents. */
    EVIDENCE("evidence"),
    /** The precise place: street address and coordinates (site, commune and district stay). */
    LOCATION("location.address", "location.lat", "location.lon");

    private final List<String> paths;

    FieldGroup(String... paths) {
        this.paths = List.of(paths);
    }

    @JsonCreator
    public static FieldGroup of(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown field group '" + name + "' (known: identity, contact, medical, narrative, evidence, location)");
        }
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Removes this group's fields from an incident, in place. */
    public void removeFrom(ObjectNode incident) {
        for (String path : paths) {
            remove(incident, path.split("\\."), 0);
        }
    }

    private static void remove(JsonNode node, String[] segments, int i) {
        String segment = segments[i];
        boolean each = segment.endsWith("[]");
        String field = each ? segment.substring(0, segment.length() - 2) : segment;
        if (!(node instanceof ObjectNode object) || !object.has(field)) {
            return;
        }
        if (i == segments.length - 1) {
            object.remove(field);
        } else if (each) {
            object.get(field).forEach(element -> remove(element, segments, i + 1));
        } else {
            remove(object.get(field), segments, i + 1);
        }
    }
}

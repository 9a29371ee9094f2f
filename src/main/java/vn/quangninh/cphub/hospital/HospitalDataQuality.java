package vn.quangninh.cphub.hospital;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.incident.IncidentSchema;
import vn.quangninh.cphub.incident.OptionalFieldRepair;
import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;

/**
 * A hospital's report is never refused over an optional field. Between the mapper and the admission, this
 * step drops or cuts what of the mapped incident does not fit the schema ({@link OptionalFieldRepair}) and
 * writes each change into the incident's {@code dataQuality} notes, with the place in the hospital's message
 * it came from (HL7 {@code PID-5}, FHIR {@code Patient.name}), so that recipients and operators know what is
 * missing and why. Only what the incident cannot exist without refuses the report, naming that place.
 * Logs name the partner, the message id and the fields, never a value.
 */
@Component("hospitalDataQuality")
public class HospitalDataQuality implements Processor {

    /**
     * Exchange property the mappers fill: JSON pointer (prefix) in the incident → where it came from in the
     * hospital's message. The longest matching prefix names a field.
     */
    public static final String FIELD_SOURCES = "cphubFieldSources";
    /** Exchange property: the notes written into the incident ({@code List<Incident.DataQualityNote>}), for the answer. */
    public static final String NOTES = "cphubDataQualityNotes";

    private static final Logger LOG = LoggerFactory.getLogger(HospitalDataQuality.class);

    private final OptionalFieldRepair repair;
    private final MeterRegistry meters;

    public HospitalDataQuality(OptionalFieldRepair repair, MeterRegistry meters) {
        this.repair = repair;
        this.meters = meters;
    }

    @Override
    public void process(Exchange exchange) {
        ObjectNode incident = exchange.getMessage().getBody(ObjectNode.class);
        @SuppressWarnings("unchecked")
        Map<String, String> sources = exchange.getProperty(FIELD_SOURCES, Map.of(), Map.class);
        String partner = exchange.getProperty(HubHeaders.PARTNER, String.class);
        String eventId = incident.path("source").path("eventId").asText("");

        OptionalFieldRepair.Result result = repair.repair(incident);
        if (!result.unrepairable().isEmpty()) {
            IncidentSchema.Violation first = result.unrepairable().get(0);
            String source = sourceOf(sources, first.pointer());
            String field = source == null ? first.pointer() : source;
            throw new IntakeRejectedException(Refusal.INVALID, "required_field",
                    field + " " + essentialReason(first) + "; the hub cannot take the report without it",
                    result.unrepairable().stream().map(IncidentSchema.Violation::describe).toList(), source);
        }
        if (result.notes().isEmpty()) {
            return;
        }
        List<Incident.DataQualityNote> notes = result.notes().stream()
                .map(n -> new Incident.DataQualityNote(n.field(), sourceOf(sources, n.field()), n.action(), n.reason()))
                .toList();
        ArrayNode list = incident.putArray("dataQuality");
        for (Incident.DataQualityNote note : notes) {
            ObjectNode n = list.addObject().put("field", note.field());
            if (note.source() != null) {
                n.put("source", note.source());
            }
            n.put("action", note.action()).put("reason", note.reason());
        }
        exchange.setProperty(NOTES, notes);
        meters.counter("cphub.hospital.data_quality_notes", "partner", String.valueOf(partner))
                .increment(result.notes().size());
        LOG.info("Report {} from {} taken with {} data-quality note(s): {}", eventId, partner, result.notes().size(),
                result.notes().stream().map(n -> n.field() + " " + n.action() + " (" + n.reason() + ")")
                        .collect(Collectors.joining("; ")));
    }

    private static String essentialReason(IncidentSchema.Violation v) {
        return switch (v.keyword()) {
            case "minLength", "required" -> "is empty";
            case "maxLength" -> "is longer than " + v.limit() + " characters";
            default -> "does not fit the incident schema (" + v.keyword() + ")";
        };
    }

    /** Where a field of the incident came from in the hospital's message, or null when the mapper did not say. */
    static String sourceOf(Map<String, String> sources, String pointer) {
        return sources.entrySet().stream()
                .filter(e -> pointer.equals(e.getKey()) || pointer.startsWith(e.getKey() + "/"))
                .max(Comparator.comparingInt(e -> e.getKey().length()))
                .map(Map.Entry::getValue).orElse(null);
    }

    /** For the mappers: records that {@code pointer} came from {@code source}. */
    static void source(Exchange exchange, String pointer, String source) {
        @SuppressWarnings("unchecked")
        Map<String, String> sources = exchange.getProperty(FIELD_SOURCES, Map.class);
        if (sources == null) {
            sources = new java.util.HashMap<>();
            exchange.setProperty(FIELD_SOURCES, sources);
        }
        sources.put(pointer, source);
    }
}

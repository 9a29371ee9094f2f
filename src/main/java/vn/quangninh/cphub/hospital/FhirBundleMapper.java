package vn.quangninh.cphub.hospital;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;

/**
 * Maps a FHIR R4 message Bundle from a hospital (MessageHeader, Patient, Condition, Observation, Flag,
 * RelatedPerson) to a candidate canonical incident, or drops it as not relevant
 * ({@link HospitalReportRules}). Table in connectors/hospital-fhir/README.md.
 */
@Component("fhirBundleMapper")
public class FhirBundleMapper implements Processor {

    private static final String ICD10 = "http://hl7.org/fhir/sid/icd-10";
    private static final String ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm";

    private final IParser parser = FhirContext.forR4Cached().newJsonParser();
    private final ObjectMapper json = new ObjectMapper();
    private final HospitalReportRules rules;

    public FhirBundleMapper(HospitalReportRules rules) {
        this.rules = rules;
    }

    @Override
    public void process(Exchange exchange) {
        Bundle bundle = parse(exchange.getProperty(HubHeaders.RAW_BODY, byte[].class));
        String partnerId = exchange.getProperty(HubHeaders.PARTNER, String.class);
        if (bundle.getType() != Bundle.BundleType.MESSAGE || bundle.getEntry().isEmpty()
                || !(bundle.getEntryFirstRep().getResource() instanceof MessageHeader header)) {
            throw new IntakeRejectedException(Refusal.INVALID, "not_a_message_bundle",
                    "Send a Bundle of type message whose first entry is a MessageHeader", List.of(), "Bundle.type");
        }
        String eventId = bundle.getIdentifier().hasValue() ? bundle.getIdentifier().getValue() : header.getIdElement().getIdPart();
        if (eventId == null || eventId.isBlank()) {
            throw new IntakeRejectedException(Refusal.INVALID, "no_event_id", "Give the Bundle an identifier (or the MessageHeader an id)",
                    List.of(), "Bundle.identifier");
        }
        List<Resource> resources = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).toList();
        Patient patient = first(resources, Patient.class);
        boolean flagged = resources.stream().anyMatch(Flag.class::isInstance);

        List<ObjectNode> codes = new ArrayList<>();
        List<MaltreatmentCodes.Finding> findings = new ArrayList<>();
        String stated = null;
        List<String> texts = new ArrayList<>();
        for (Condition condition : all(resources, Condition.class)) {
            condition.getCode().getCoding().forEach(c -> addCode(codes, findings, c));
            String status = condition.getVerificationStatus().getCodingFirstRep().getCode();
            stated = stated != null ? stated : certaintyOf(status);
            condition.getNote().forEach(n -> texts.add(n.getText()));
        }
        for (Observation observation : all(resources, Observation.class)) {
            if (observation.hasValueStringType()) {
                texts.add(observation.getValueStringType().getValue());
            }
            if (observation.hasValueCodeableConcept()) {
                observation.getValueCodeableConcept().getCoding().forEach(c -> addCode(codes, findings, c));
            }
            observation.getNote().forEach(n -> texts.add(n.getText()));
        }
        LocalDate birth = patient != null && patient.hasBirthDate() ? fullDate(patient.getBirthDateElement().getValueAsString()) : null;
        OffsetDateTime sent = bundle.hasTimestamp() ? OffsetDateTime.parse(bundle.getTimestampElement().getValueAsString()) : null;

        var report = new HospitalReportRules.Report(partnerId, eventId, sent, birth, findings, stated, flagged, false);
        ObjectNode incident = rules.incident(exchange, "fhir", report).orElse(null);
        if (incident == null) {
            return;
        }
        HospitalDataQuality.source(exchange, "/source/eventId", "Bundle.identifier");
        HospitalDataQuality.source(exchange, "/occurredAt", "Bundle.timestamp");
        HospitalDataQuality.source(exchange, "/subjects", "Patient, RelatedPerson");
        HospitalDataQuality.source(exchange, "/evidence", "Bundle.identifier");
        HospitalDataQuality.source(exchange, "/codes", "Condition.code, Observation.valueCodeableConcept");
        HospitalDataQuality.source(exchange, "/narrative", "Condition.note, Observation.valueString, Observation.note");
        ArrayNode subjects = incident.putArray("subjects");
        if (patient != null) {
            subjects.add(victim(patient, birth));
            HospitalDataQuality.source(exchange, "/subjects/0", "Patient");
            HospitalDataQuality.source(exchange, "/subjects/0/name", "Patient.name");
            HospitalDataQuality.source(exchange, "/subjects/0/birthDate", "Patient.birthDate");
            HospitalDataQuality.source(exchange, "/subjects/0/sex", "Patient.gender");
            HospitalDataQuality.source(exchange, "/subjects/0/identifiers", "Patient.identifier");
        }
        for (RelatedPerson guardian : all(resources, RelatedPerson.class)) {
            HospitalDataQuality.source(exchange, "/subjects/" + subjects.size(), "RelatedPerson.name");
            ObjectNode g = subjects.addObject().put("role", "guardian");
            if (guardian.hasName()) {
                g.put("name", name(guardian.getNameFirstRep()));
            }
        }
        incident.putArray("evidence").addObject().put("kind", "fhir").put("ref", "fhir:" + partnerId + "/Bundle/" + eventId);
        if (!codes.isEmpty()) {
            incident.putArray("codes").addAll(codes);
        }
        List<String> narrative = texts.stream().filter(t -> t != null && !t.isBlank()).toList();
        if (!narrative.isEmpty()) {
            incident.put("narrative", String.join("\n", narrative));
        }
        exchange.getMessage().setBody(incident);
    }

    private Bundle parse(byte[] raw) {
        try {
            return parser.parseResource(Bundle.class, new String(raw, StandardCharsets.UTF_8));
        } catch (DataFormatException | ClassCastException e) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "unparseable", "The body is not a FHIR R4 Bundle in JSON");
        }
    }

    private ObjectNode victim(Patient patient, LocalDate birth) {
        ObjectNode victim = json.createObjectNode().put("role", "victim");
        if (patient.hasName()) {
            victim.put("name", name(patient.getNameFirstRep()));
        }
        if (birth != null) {
            victim.put("birthDate", birth.toString());
        }
        if (patient.hasGender()) {
            victim.put("sex", switch (patient.getGender()) {
                case MALE -> "male";
                case FEMALE -> "female";
                case OTHER -> "other";
                default -> "unknown";
            });
        }
        ArrayNode identifiers = json.createArrayNode();
        for (Identifier id : patient.getIdentifier()) {
            if (id.hasValue()) {
                identifiers.addObject().put("system", shortSystem(id.getSystem())).put("value", id.getValue());
            }
        }
        if (!identifiers.isEmpty()) {
            victim.set("identifiers", identifiers);
        }
        return victim;
    }

    /** A full date; FHIR also allows "2014" or "2014-09", which say too little for an age: then none. */
    private static LocalDate fullDate(String value) {
        return value != null && value.length() == 10 ? LocalDate.parse(value) : null;
    }

    /** Vietnamese order: family name, then the given names. */
    private static String name(HumanName name) {
        String given = String.join(" ", name.getGiven().stream().map(Object::toString).toList());
        return (name.getFamily() == null ? "" : name.getFamily() + " ").concat(given).trim();
    }

    private void addCode(List<ObjectNode> codes, List<MaltreatmentCodes.Finding> findings, Coding coding) {
        if (!coding.hasCode()) {
            return;
        }
        String system = ICD10.equals(coding.getSystem()) ? "ICD-10"
                : ICD10CM.equals(coding.getSystem()) ? "ICD-10-CM" : shortSystem(coding.getSystem());
        ObjectNode c = json.createObjectNode().put("system", system).put("code", coding.getCode());
        if (coding.hasDisplay()) {
            c.put("display", coding.getDisplay());
        }
        codes.add(c);
        if (system.startsWith("ICD-10")) {
            MaltreatmentCodes.of(coding.getCode()).ifPresent(findings::add);
        }
    }

    /** Condition.verificationStatus → certainty. */
    private static String certaintyOf(String status) {
        if (status == null) {
            return null;
        }
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "confirmed" -> "confirmed";
            case "provisional", "differential", "unconfirmed" -> "suspected";
            case "refuted" -> "ruled_out";
            default -> null;
        };
    }

    /** A code system short enough for the schema (64): the last part of a long URI. */
    private static String shortSystem(String system) {
        if (system == null || system.isBlank()) {
            return "unknown";
        }
        if (system.length() <= 64) {
            return system;
        }
        String tail = system.substring(Math.max(system.lastIndexOf('/'), system.lastIndexOf(':')) + 1);
        return tail.length() <= 64 ? tail : tail.substring(0, 64);
    }

    private static <T extends Resource> T first(List<Resource> resources, Class<T> type) {
        return all(resources, type).stream().findFirst().orElse(null);
    }

    private static <T extends Resource> List<T> all(List<Resource> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }
}

package vn.quangninh.cphub.hospital;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.time.Period;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.partner.PartnerRegistry;

/**
 * The hub's policy for hospital reports, HL7 or FHIR alike: which reports concern a child's maltreatment
 * (the rest are acknowledged and dropped, only counted), and the priority and signs of crime of those that
 * do, from {@code cphub.hospital.*}.
 */
@Component
public class HospitalReportRules {

    /** Exchange property: true when the report is acknowledged and dropped. */
    public static final String NOT_RELEVANT = "cphubNotRelevant";
    /** A child in Vietnamese law is under 16 (Law on Children 2016, Art. 1). */
    private static final int CHILD_UNDER = 16;

    /** What a mapper read from one hospital report, HL7 or FHIR. */
    public record Report(String partnerId, String eventId, OffsetDateTime sent, LocalDate birthDate,
                         List<MaltreatmentCodes.Finding> findings, String statedCertainty, boolean flagged,
                         boolean policeNotified) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final PartnerRegistry partners;
    private final MeterRegistry meters;
    private final int defaultPriority;
    private final Map<String, Integer> priorityByCategory;
    private final Set<String> crimeCategories;

    public HospitalReportRules(PartnerRegistry partners, MeterRegistry meters,
                               @Value("${cphub.hospital.default-priority}") int defaultPriority,
                               @Value("#{${cphub.hospital.priority-by-category}}") Map<String, Integer> priorityByCategory,
                               @Value("${cphub.hospital.signs-of-crime-categories}") Set<String> crimeCategories) {
        this.partners = partners;
        this.meters = meters;
        this.defaultPriority = defaultPriority;
        this.priorityByCategory = Map.copyOf(priorityByCategory);
        this.crimeCategories = Set.copyOf(crimeCategories);
    }

    /**
     * The start of the canonical incident for a report that concerns a child's maltreatment: envelope,
     * classification and the hospital's site; the mapper adds subjects, evidence, codes and narrative.
     * A report that does not is dropped ({@link #drop}) and nothing is returned.
     */
    public Optional<ObjectNode> incident(Exchange exchange, String channel, Report report) {
        boolean maltreatment = report.findings().stream().anyMatch(f -> f.certainty() != null);
        OffsetDateTime on = report.sent() == null ? OffsetDateTime.now() : report.sent();
        Optional<String> dropReason = dropReason(maltreatment, report.flagged(), report.birthDate(), on.toLocalDate());
        if (dropReason.isPresent()) {
            drop(exchange, channel, dropReason.get());
            return Optional.empty();
        }
        String category = report.findings().stream().map(MaltreatmentCodes.Finding::category).filter(c -> c != null)
                .findFirst().orElse("other");
        String certainty = report.statedCertainty() != null ? report.statedCertainty() : strongest(report.findings());

        ObjectNode incident = json.createObjectNode();
        incident.put("schemaVersion", "1");
        incident.put("messageType", "alert");
        incident.putObject("source").put("system", report.partnerId()).put("eventId", report.eventId())
                .put("channel", "hospital");
        if (report.sent() != null) {
            incident.put("occurredAt", report.sent().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        }
        incident.put("category", category);
        incident.put("certainty", certainty);
        incident.put("priority", priority(category));
        incident.put("signsOfCrime", signsOfCrime(category, certainty, report.policeNotified()));
        partners.find(report.partnerId()).map(p -> p.hl7() == null ? null : p.hl7().siteId())
                .filter(site -> site != null && !site.isBlank())
                .ifPresent(site -> incident.putObject("location").put("siteId", site));
        return Optional.of(incident);
    }

    /** Confirmed over suspected over ruled out; suspected when the codes say nothing. */
    static String strongest(List<MaltreatmentCodes.Finding> findings) {
        List<String> certainties = findings.stream().map(MaltreatmentCodes.Finding::certainty).filter(c -> c != null).toList();
        if (certainties.contains("confirmed")) {
            return "confirmed";
        }
        return certainties.contains("suspected") || certainties.isEmpty() ? "suspected" : "ruled_out";
    }

    /**
     * @param maltreatmentCode a code of the report says something about maltreatment (T74, T76, Z04.x)
     * @param flagged          the hospital flagged the report itself (HL7 ZCP segment, FHIR Flag)
     * @return why the report is not about a child's maltreatment, or empty when it is
     */
    Optional<String> dropReason(boolean maltreatmentCode, boolean flagged, LocalDate birthDate, LocalDate reportedOn) {
        if (!maltreatmentCode && !flagged) {
            return Optional.of("no_maltreatment_code");
        }
        if (birthDate != null && Period.between(birthDate, reportedOn).getYears() >= CHILD_UNDER) {
            return Optional.of("not_a_child");
        }
        return Optional.empty();
    }

    /** Counts the dropped report and removes everything of it from the exchange. */
    void drop(Exchange exchange, String channel, String reason) {
        meters.counter("cphub.hospital.dropped", "channel", channel, "reason", reason, "partner",
                String.valueOf(exchange.getProperty(HubHeaders.PARTNER))).increment();
        exchange.setProperty(NOT_RELEVANT, true);
        exchange.getMessage().setBody(null);
        exchange.removeProperty(HubHeaders.RAW_BODY);
    }

    int priority(String category) {
        return priorityByCategory.getOrDefault(category, defaultPriority);
    }

    boolean signsOfCrime(String category, String certainty, boolean policeNotified) {
        return policeNotified || (crimeCategories.contains(category) && !"ruled_out".equals(certainty));
    }
}

package vn.quangninh.cphub.hospital;

import java.time.LocalDate;
import java.time.Period;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;

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

    private final MeterRegistry meters;
    private final int defaultPriority;
    private final Map<String, Integer> priorityByCategory;
    private final Set<String> crimeCategories;

    public HospitalReportRules(MeterRegistry meters,
                               @Value("${cphub.hospital.default-priority}") int defaultPriority,
                               @Value("#{${cphub.hospital.priority-by-category}}") Map<String, Integer> priorityByCategory,
                               @Value("${cphub.hospital.signs-of-crime-categories}") Set<String> crimeCategories) {
        this.meters = meters;
        this.defaultPriority = defaultPriority;
        this.priorityByCategory = Map.copyOf(priorityByCategory);
        this.crimeCategories = Set.copyOf(crimeCategories);
    }

    /**
     * @param maltreatmentCode a code of the report says something about maltreatment (T74, T76, Z04.x)
     * @param flagged          the hospital flagged the report itself (HL7 ZCP segment, FHIR Flag)
     * @return why the report is not about a child's maltreatment, or empty when it is
     */
    public Optional<String> dropReason(boolean maltreatmentCode, boolean flagged, LocalDate birthDate, LocalDate reportedOn) {
        if (!maltreatmentCode && !flagged) {
            return Optional.of("no_maltreatment_code");
        }
        if (birthDate != null && Period.between(birthDate, reportedOn).getYears() >= CHILD_UNDER) {
            return Optional.of("not_a_child");
        }
        return Optional.empty();
    }

    /** Counts the dropped report and removes everything of it from the exchange. */
    public void drop(Exchange exchange, String channel, String reason) {
        meters.counter("cphub.hospital.dropped", "channel", channel, "reason", reason, "partner",
                String.valueOf(exchange.getProperty(HubHeaders.PARTNER))).increment();
        exchange.setProperty(NOT_RELEVANT, true);
        exchange.getMessage().setBody(null);
        exchange.removeProperty(HubHeaders.RAW_BODY);
    }

    public int priority(String category) {
        return priorityByCategory.getOrDefault(category, defaultPriority);
    }

    public boolean signsOfCrime(String category, String certainty, boolean policeNotified) {
        return policeNotified || (crimeCategories.contains(category) && !"ruled_out".equals(certainty));
    }
}

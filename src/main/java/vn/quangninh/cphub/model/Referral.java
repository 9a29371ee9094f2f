package vn.quangninh.cphub.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One incident handed to one recipient: the unit the hub delivers, retries, follows up and times.
 *
 * @param origin     the partner the incident came from, who hears back the referral's status
 * @param receivedAt when the hub received the incident: the clocks start there
 * @param clocks     the Decree 56 clocks this referral runs (config/clocks.yaml names)
 * @param incident   the recipient's redacted copy of the canonical incident
 */
public record Referral(UUID referralId, UUID incidentId, String partner, String origin, String profile, String rule,
                       LegalBasis legalBasis, List<String> clocks, int incidentPriority, Instant receivedAt,
                       Set<FieldGroup> withheld, ObjectNode incident) {

    /** The same incident to the same partner is always the same referral (so redelivery never duplicates). */
    public static UUID idFor(UUID incidentId, String partner) {
        return UUID.nameUUIDFromBytes(("cphub/referral/" + incidentId + "/" + partner).getBytes(StandardCharsets.UTF_8));
    }

    /** JMS priority: immediate danger (1) is delivered first. */
    public int jmsPriority() {
        return jmsPriority(incidentPriority);
    }

    public static int jmsPriority(int incidentPriority) {
        return switch (incidentPriority) {
            case 1 -> 9;
            case 2 -> 7;
            case 3 -> 5;
            default -> 4;
        };
    }

    /** The field groups the recipient sees. */
    public Set<FieldGroup> disclosed() {
        Set<FieldGroup> disclosed = java.util.EnumSet.allOf(FieldGroup.class);
        disclosed.removeAll(withheld);
        return disclosed;
    }
}

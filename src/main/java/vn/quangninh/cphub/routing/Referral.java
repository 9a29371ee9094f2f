package vn.quangninh.cphub.routing;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One incident handed to one recipient: the unit the hub delivers, retries and follows up.
 *
 * @param incident the recipient's redacted copy of the canonical incident
 */
public record Referral(UUID referralId, UUID incidentId, String partner, String profile, String rule,
                       int incidentPriority, Set<FieldGroup> withheld, ObjectNode incident) {

    /** The same incident to the same partner is always the same referral (so redelivery never duplicates). */
    public static UUID idFor(UUID incidentId, String partner) {
        return UUID.nameUUIDFromBytes(("cphub/referral/" + incidentId + "/" + partner).getBytes(StandardCharsets.UTF_8));
    }

    /** JMS priority: immediate danger (1) is delivered first. */
    public int jmsPriority() {
        return switch (incidentPriority) {
            case 1 -> 9;
            case 2 -> 7;
            case 3 -> 5;
            default -> 4;
        };
    }
}

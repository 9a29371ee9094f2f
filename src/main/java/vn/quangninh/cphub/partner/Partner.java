package vn.quangninh.cphub.partner;

import java.util.List;
import java.util.Map;

/**
 * A system the hub exchanges messages with, as declared in {@code config/partners.yaml}.
 *
 * @param id          stable id, also the {@code source.system} it may post as and the suffix of its queues
 * @param secretHash  the hash of its API secret in Spring Security's {@code {id}hash} form (never the secret)
 * @param sink        how the hub delivers referrals to it: the connector template and its parameters; null
 *                    when the hub never sends to this partner
 * @param hl7         how the partner is recognised on the HL7 v2 / MLLP listener; null for non-HL7 partners
 * @param signing     the shared secret of partners that sign their requests (HMAC-SHA256), such as the
 *                    hotline CRM's tickets; null for others
 * @param statistics  true for a partner that may read the hub's statistics ({@code GET /api/v1/statistics/…})
 */
public record Partner(String id, String name, String secretHash, Sink sink, Hl7 hl7, Signing signing, Boolean statistics) {

    public boolean readsStatistics() {
        return Boolean.TRUE.equals(statistics);
    }

    /** A shared secret for request signatures (at least 32 characters). */
    public record Signing(String secret) {
    }

    public record Sink(String connector, Map<String, Object> parameters) {
    }

    /**
     * A hospital's HL7 identity: it is this partner when MSH-4 (sending facility) is one of
     * {@code sendingFacilities}, MSH-3 (sending application) one of {@code sendingApplications} (when
     * listed), and the connection comes from one of {@code allowedAddresses} (when listed).
     *
     * @param siteId the hospital's site id, put in the incident's location
     */
    /**
     * @param unsupported what the hub answers a message type it does not use (ORM, OML, MDM, SIU, …):
     *                    {@code accept} (default: read like the others — taken if it is about a child's
     *                    maltreatment, else AA and counted as not relevant, as a receiver on a shared feed does) or
     *                    {@code reject} (AR)
     */
    public record Hl7(List<String> sendingFacilities, List<String> sendingApplications, List<String> allowedAddresses,
                      String siteId, String unsupported) {

        public static final java.util.Set<String> UNSUPPORTED_ANSWERS = java.util.Set.of("accept", "reject");

        public boolean rejectsUnsupportedTypes() {
            return "reject".equals(unsupported);
        }

        public boolean allowsApplication(String msh3) {
            return sendingApplications == null || sendingApplications.isEmpty() || sendingApplications.contains(msh3);
        }
    }

    public boolean canPost() {
        return secretHash != null && !secretHash.isBlank();
    }
}

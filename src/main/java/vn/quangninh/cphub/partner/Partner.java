package vn.quangninh.cphub.partner;

import java.util.Map;

/**
 * A system the hub exchanges messages with, as declared in {@code config/partners.yaml}.
 *
 * @param id          stable id, also the {@code source.system} it may post as and the suffix of its queues
 * @param secretHash  the hash of its API secret in Spring Security's {@code {id}hash} form (never the secret)
 * @param sink        how the hub delivers referrals to it: the connector template and its parameters; null
 *                    when the hub never sends to this partner
 */
public record Partner(String id, String name, String secretHash, Sink sink) {

    public record Sink(String connector, Map<String, Object> parameters) {
    }

    public boolean canPost() {
        return secretHash != null && !secretHash.isBlank();
    }
}

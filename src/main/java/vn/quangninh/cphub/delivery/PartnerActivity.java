package vn.quangninh.cphub.delivery;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The last delivery and the last failed attempt of each partner, as this hub instance saw them since it
 * started: what an operator asks first about a partner ("when did it last take something, and why did it
 * last fail?"). The failure is in the hub's own words (an HTTP status or an exception's class), never a
 * partner's answer body. The journey table holds the full, durable history.
 */
@Component
public class PartnerActivity {

    /** A partner's last delivery and last failure; either may be null. */
    public record Activity(Instant lastDeliveredAt, Instant lastFailedAt, String lastFailure) {
    }

    private final Map<String, Activity> byPartner = new ConcurrentHashMap<>();

    void delivered(String partner) {
        byPartner.merge(partner, new Activity(Instant.now(), null, null),
                (old, now) -> new Activity(now.lastDeliveredAt(), old.lastFailedAt(), old.lastFailure()));
    }

    void failed(String partner, String failure) {
        byPartner.merge(partner, new Activity(null, Instant.now(), failure),
                (old, now) -> new Activity(old.lastDeliveredAt(), now.lastFailedAt(), now.lastFailure()));
    }

    public Optional<Activity> of(String partner) {
        return Optional.ofNullable(byPartner.get(partner));
    }
}

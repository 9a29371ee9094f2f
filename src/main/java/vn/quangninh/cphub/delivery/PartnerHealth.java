package vn.quangninh.cphub.delivery;

import vn.quangninh.cphub.outbox.Lane;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.partner.Partner;
import vn.quangninh.cphub.partner.PartnerRegistry;

/**
 * {@code /actuator/health/partners/<partner>}: each partner the hub delivers to, {@code UP} while both its lanes'
 * circuits are closed, {@code PARTNER_DOWN} while one is open or half-open, with each lane's circuit and its last
 * delivery and failure as details (console login). A partner that is down is not the hub being down: the hub
 * still takes every report and keeps the partner's referrals. So {@code PARTNER_DOWN} is a status of its own,
 * which Spring Boot's aggregation leaves out: {@code /actuator/health} stays {@code UP} (a load balancer or an
 * orchestrator must not take the hub away from hospitals and the hotline because police intake is down).
 */
@Component("partners")
public class PartnerHealth implements CompositeHealthContributor {

    public static final Status PARTNER_DOWN = new Status("PARTNER_DOWN", "its circuit is open: referrals wait in its queue");

    private final Map<String, HealthIndicator> byPartner = new LinkedHashMap<>();

    public PartnerHealth(PartnerRegistry partners, PartnerCircuits circuits, PartnerActivity activity) {
        for (Partner partner : partners.withSinks()) {
            byPartner.put(partner.id(), () -> health(partner.id(), circuits, activity));
        }
    }

    private static Health health(String partner, PartnerCircuits circuits, PartnerActivity activity) {
        String routine = circuits.state(partner, Lane.ROUTINE).orElse("none");
        String urgent = circuits.state(partner, Lane.URGENT).orElse("none");
        boolean up = !"open".equals(routine) && !"half-open".equals(routine) && !"open".equals(urgent) && !"half-open".equals(urgent);
        Health.Builder health = Health.status(up ? Status.UP : PARTNER_DOWN)
                .withDetail("routineCircuit", routine).withDetail("emergencyCircuit", urgent);
        activity.of(partner).ifPresent(a -> {
            if (a.lastDeliveredAt() != null) {
                health.withDetail("lastDeliveredAt", a.lastDeliveredAt().toString());
            }
            if (a.lastFailedAt() != null) {
                health.withDetail("lastFailedAt", a.lastFailedAt().toString()).withDetail("lastFailure", a.lastFailure());
            }
        });
        return health.build();
    }

    @Override
    public HealthContributor getContributor(String name) {
        return byPartner.get(name);
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        return byPartner.entrySet().stream()
                .map(e -> NamedContributor.<HealthContributor>of(e.getKey(), e.getValue())).iterator();
    }
}

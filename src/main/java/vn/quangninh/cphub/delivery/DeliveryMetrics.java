package vn.quangninh.cphub.delivery;

import vn.quangninh.cphub.outbox.Lane;

import java.time.Duration;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;

/**
 * What operators graph per partner and lane ({@code /actuator/prometheus}): {@code cphub_deliveries_total}
 * by outcome — {@code delivered}, {@code failed} (an attempt that will be tried again), {@code dead_lettered}
 * — and {@code cphub_delivery_latency_seconds}, from the hub's receipt of the incident to the partner's 2xx.
 * Counted once the delivery is recorded (after the store commit), so a redone batch does not count twice.
 * Also remembers each partner's last delivery and failure ({@link PartnerActivity}).
 * Tags are ids of configuration (partner, lane, message kind), never of a child or an incident.
 */
@Component("deliveryMetrics")
public class DeliveryMetrics {

    /** Outcome tag values. */
    enum Outcome {
        DELIVERED, FAILED, DEAD_LETTERED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final PartnerActivity activity;

    public DeliveryMetrics(MeterRegistry registry, PartnerActivity activity) {
        this.registry = registry;
        this.activity = activity;
    }

    /** A partner took the message (the sink's last step). */
    public void delivered(Exchange exchange) {
        count(exchange, Outcome.DELIVERED);
        activity.delivered(partner(exchange));
        Long receivedAt = exchange.getProperty(HubHeaders.RECEIVED_AT, Long.class);
        if (receivedAt != null) {
            Timer.builder("cphub.delivery.latency")
                    .description("From the hub's receipt of the incident to the partner's 2xx")
                    .tags("partner", partner(exchange), "lane", lane(exchange))
                    .publishPercentileHistogram()
                    .maximumExpectedValue(Duration.ofHours(1))
                    .register(registry)
                    .record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - receivedAt)));
        }
    }

    /**
     * An attempt failed: tried again later, or (refused, or the last attempt) moved to the partner's DLQ.
     * {@code failure}: the hub's words for it (an HTTP status, an exception's class).
     */
    public void failed(Exchange exchange, boolean deadLettered, String failure) {
        count(exchange, deadLettered ? Outcome.DEAD_LETTERED : Outcome.FAILED);
        activity.failed(partner(exchange), failure);
    }

    private void count(Exchange exchange, Outcome outcome) {
        Counter.builder("cphub.deliveries")
                .description("Delivery attempts to partners by outcome")
                .tags("partner", partner(exchange), "lane", lane(exchange), "outcome", outcome.tag(),
                        "kind", exchange.getProperty(HubHeaders.MESSAGE_KIND, "referral", String.class))
                .register(registry)
                .increment();
    }

    private static String partner(Exchange exchange) {
        return exchange.getProperty(HubHeaders.PARTNER, "unknown", String.class);
    }

    private static String lane(Exchange exchange) {
        String from = exchange.getFromEndpoint() == null ? "" : exchange.getFromEndpoint().getEndpointUri();
        return from.contains(Lane.URGENT.suffix()) ? "urgent" : "routine";
    }
}

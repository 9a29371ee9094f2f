package vn.quangninh.cphub;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Predicate;
import org.apache.camel.builder.NotifyBuilder;

/**
 * The deliveries of one message (by its delivery key: a referral's id) by a sink route, as Camel counts its
 * exchanges ({@link NotifyBuilder}): "it arrived" and "no second one came in the period after" are waited for on
 * Camel's own events, not by sleeping and counting. Make it before the message is sent: it counts what
 * completes after it was made.
 */
public final class SinkDeliveries {

    private final NotifyBuilder first;
    private final NotifyBuilder second;

    private SinkDeliveries(CamelContext camel, String routeId, String deliveryKey) {
        Predicate ofThisMessage = exchange -> deliveryKey.equals(exchange.getProperty(HubHeaders.DELIVERY_KEY, String.class));
        this.first = new NotifyBuilder(camel).fromRoute(routeId).filter(ofThisMessage).whenDone(1).create();
        this.second = new NotifyBuilder(camel).fromRoute(routeId).filter(ofThisMessage).whenDone(2).create();
    }

    public static SinkDeliveries of(CamelContext camel, String routeId, String deliveryKey) {
        return new SinkDeliveries(camel, routeId, deliveryKey);
    }

    /** Whether the sink has finished one exchange of the message (delivered, refused or failed) within {@code wait}. */
    public boolean firstWithin(Duration wait) {
        return first.matches(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether no second exchange of the message came within {@code period} (returns at once if one does). */
    public boolean noSecondWithin(Duration period) {
        return !second.matches(period.toMillis(), TimeUnit.MILLISECONDS);
    }
}

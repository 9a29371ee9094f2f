package vn.quangninh.cphub.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.HubProperties;

/**
 * The first step of every sink: keeps what the sink needs of the hub's headers as exchange properties
 * (before all headers are removed, so none travels to the partner): incident, referral, partner, message
 * kind, the delivery key the partner deduplicates on, when the hub received the incident (for
 * {@link DeliveryMetrics}), and the attempt number. A referral whose attempt
 * number is past the last one never had an attempt fail — the earlier ones died with the hub — so it goes to
 * its partner's DLQ instead of being tried again ({@link UnfinishedAttemptsException}).
 */
@Component("deliveryContext")
public class DeliveryContext implements Processor {

    private final int maxAttempts;

    public DeliveryContext(HubProperties hub) {
        this.maxAttempts = hub.delivery().maxAttempts();
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String kind = in.getHeader(HubHeaders.MESSAGE_KIND, "referral", String.class);
        String referralId = in.getHeader(HubHeaders.REFERRAL_ID, String.class);
        exchange.setProperty(HubHeaders.INCIDENT_ID, in.getHeader(HubHeaders.INCIDENT_ID, String.class));
        exchange.setProperty(HubHeaders.REFERRAL_ID, referralId);
        exchange.setProperty(HubHeaders.PARTNER, in.getHeader(HubHeaders.PARTNER, String.class));
        exchange.setProperty(HubHeaders.MESSAGE_KIND, kind);
        if (DeliveryRecorder.REFERRAL.equals(kind)) {
            // kept once the partner has taken it (DeliveryRecorder → DeliveredContent)
            exchange.setProperty(DeliveredContent.ENVELOPE, in.getBody(String.class));
        }
        exchange.setProperty(HubHeaders.DELIVERY_KEY, in.getHeader(HubHeaders.DELIVERY_KEY, referralId, String.class));
        exchange.setProperty(HubHeaders.RECEIVED_AT, in.getHeader(HubHeaders.RECEIVED_AT, Long.class));
        int attempt = in.getHeader("JMSXDeliveryCount", 1, Integer.class);
        exchange.setProperty(HubHeaders.ATTEMPT, attempt);
        if (attempt > maxAttempts) {
            throw new UnfinishedAttemptsException(attempt, maxAttempts);
        }
    }
}

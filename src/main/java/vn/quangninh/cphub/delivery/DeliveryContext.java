package vn.quangninh.cphub.delivery;

import java.util.HashMap;
import java.util.Map;
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

    /**
     * The exchange property holding the referral as the sink took it — body and headers — for its partner's DLQ
     * ({@link DeliveryFailure}). Kept here rather than by the error handler's {@code useOriginalMessage}: that
     * makes Camel copy every message of every route at the start of its unit of work (#13: 5-9 % of triage's and
     * the sinks' CPU), where only a failed delivery needs the original.
     */
    public static final String ORIGINAL = "cphubOriginalReferral";

    /** The referral's body and headers as the sink's queue gave them. */
    public record Original(Object body, Map<String, Object> headers) {
    }

    private final int maxAttempts;

    public DeliveryContext(HubProperties hub) {
        this.maxAttempts = hub.delivery().maxAttempts();
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        exchange.setProperty(ORIGINAL, new Original(in.getBody(), new HashMap<>(in.getHeaders())));
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
        // a referral put back after failed probes of its partner's circuit carries the attempts it spent before
        int attempt = in.getHeader(HubHeaders.ATTEMPTS_SPENT, 0, Integer.class) + in.getHeader("JMSXDeliveryCount", 1, Integer.class);
        exchange.setProperty(HubHeaders.ATTEMPT, attempt);
        if (attempt > maxAttempts) {
            throw new UnfinishedAttemptsException(attempt, maxAttempts);
        }
    }
}

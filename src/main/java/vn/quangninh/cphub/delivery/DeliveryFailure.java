package vn.quangninh.cphub.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.HubProperties;
import vn.quangninh.cphub.store.Journey;
import vn.quangninh.cphub.store.Journey.Step;

/**
 * Decides what happens to a referral whose delivery attempt failed: another attempt later (the broker
 * redelivers with back-off), or its partner's DLQ at once (the partner refused it, or the last attempt
 * failed). Records the attempt in the journey and, for the DLQ, prepares the headers operators read and
 * the original address so that Artemis' {@code retryMessages()} can put it back.
 */
@Component("deliveryFailure")
public class DeliveryFailure implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryFailure.class);
    private static final String ORIGINAL_ADDRESS = "_AMQ_ORIG_ADDRESS";
    private static final String ORIGINAL_QUEUE = "_AMQ_ORIG_QUEUE";

    private final Journey journey;
    private final DeliveryMetrics metrics;
    private final int maxAttempts;

    public DeliveryFailure(Journey journey, DeliveryMetrics metrics, HubProperties hub) {
        this.journey = journey;
        this.metrics = metrics;
        this.maxAttempts = hub.delivery().maxAttempts();
    }

    /**
     * Whether this failed attempt ends the referral's delivery (the partner refused it, or it was the last
     * attempt): the sink's error handler marks exactly these exchanges handled — the move to the DLQ commits —
     * and leaves every other failure failed, for the JMS transaction to roll back and the partner's circuit to
     * count. Camel decides "handled" before the handler's steps run, so the decision is here, not in them.
     */
    public boolean endsDelivery(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e == null) {
            e = exchange.getException();
        }
        return !retryable(e) || exchange.getProperty(HubHeaders.ATTEMPT, 1, Integer.class) >= maxAttempts;
    }

    private static boolean retryable(Exception e) {
        return !(e instanceof DeliveryFailedException refusal) || refusal.retryable();
    }

    @Override
    public void process(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String incidentId = exchange.getProperty(HubHeaders.INCIDENT_ID, String.class);
        String referralId = exchange.getProperty(HubHeaders.REFERRAL_ID, String.class);
        String partner = exchange.getProperty(HubHeaders.PARTNER, String.class);
        int attempt = exchange.getProperty(HubHeaders.ATTEMPT, 1, Integer.class);

        DeliveryFailedException refusal = e instanceof DeliveryFailedException d ? d : null;
        boolean retryable = retryable(e);
        String outcome = refusal != null ? String.valueOf(refusal.status()) : e.getClass().getSimpleName();
        journey.record(incidentId, referralId, partner, Step.ATTEMPT, attempt, outcome, retryable ? "retryable" : "refused");

        boolean ends = endsDelivery(exchange);
        metrics.failed(exchange, ends, refusal != null ? "HTTP " + outcome : outcome);
        if (!ends) {
            LOG.warn("Referral {} to {}: attempt {} of {} failed ({}); the broker will redeliver it",
                    referralId, partner, attempt, maxAttempts, outcome);
            return;
        }
        String reason = retryable
                ? "gave up after " + attempt + " attempts; last: " + describe(e)
                : "partner refused the referral: " + describe(e);
        exchange.setProperty(HubHeaders.DEAD_LETTER, true);
        Message dead = exchange.getMessage();
        DeliveryContext.Original original = exchange.getProperty(DeliveryContext.ORIGINAL, DeliveryContext.Original.class);
        if (original != null) { // the referral as it came, not the partner's answer or the headers sent to it
            dead.getHeaders().clear();
            dead.getHeaders().putAll(original.headers());
            dead.setBody(original.body());
        }
        dead.removeHeader(HubHeaders.ARTEMIS_DUPLICATE_ID);
        dead.setHeader(HubHeaders.FAILURE_STATUS, refusal == null ? 0 : refusal.status());
        dead.setHeader(HubHeaders.FAILURE_REASON, reason);
        dead.setHeader(HubHeaders.ATTEMPTS, attempt);
        dead.setHeader(ORIGINAL_ADDRESS, "cphub.deliver." + partner);
        dead.setHeader(ORIGINAL_QUEUE, "cphub.deliver." + partner);
        journey.record(incidentId, referralId, partner, Step.DEAD_LETTERED, attempt, outcome,
                retryable ? "attempts exhausted" : "refused by partner");
        LOG.error("Referral {} of incident {} to {} moved to cphub.dlq.{} ({}, attempt {})",
                referralId, incidentId, partner, partner, outcome, attempt);
    }

    /** The failure as operators read it in the DLQ: the hub's own words (status or exception), no partner text. */
    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }
}

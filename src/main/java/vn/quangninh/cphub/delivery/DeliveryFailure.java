package vn.quangninh.cphub.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.HubProperties;
import vn.quangninh.cphub.store.Journey;
import vn.quangninh.cphub.store.Journey.Step;

/**
 * Decides what happens to a referral whose delivery attempt failed: another attempt later (the broker
 * redelivers with back-off), or its partner's DLQ at once (the partner refused it, or the last attempt
 * failed), or — when the attempt was the probe of its partner's open circuit and the partner is still down —
 * back to its queue without spending an attempt. Records the attempt in the journey and, for the DLQ, prepares
 * the headers operators read and the original address so that Artemis' {@code retryMessages()} can put it back.
 */
@Component("deliveryFailure")
public class DeliveryFailure implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryFailure.class);
    private static final String ORIGINAL_ADDRESS = "_AMQ_ORIG_ADDRESS";
    private static final String ORIGINAL_QUEUE = "_AMQ_ORIG_QUEUE";
    /** The journey's detail of a failed probe: the attempt was made, and not spent. */
    public static final String PROBE_FAILED = "probe, partner still down: not counted";

    private final Journey journey;
    private final DeliveryMetrics metrics;
    private final int maxAttempts;

    public DeliveryFailure(Journey journey, DeliveryMetrics metrics, HubProperties hub) {
        this.journey = journey;
        this.metrics = metrics;
        this.maxAttempts = hub.delivery().maxAttempts();
    }

    /**
     * Whether the sink's error handler marks this failed attempt handled, so that what the handler sends commits
     * with the JMS transaction: the referral's move to its DLQ ({@link #endsDelivery}), or its way back to its
     * queue after a failed probe ({@link #goesBackUntried}). Every other failure stays failed, for the transaction
     * to roll back (the broker redelivers with back-off) and the partner's circuit to count. Camel decides
     * "handled" before the handler's steps run, so the decision is here, not in them.
     */
    public boolean handled(Exchange exchange) {
        return goesBackUntried(exchange) || endsDelivery(exchange);
    }

    /** The partner refused the referral, or this was its last attempt (never a failed probe's). */
    boolean endsDelivery(Exchange exchange) {
        Exception e = caught(exchange);
        return !goesBackUntried(exchange)
                && (!retryable(e) || exchange.getProperty(HubHeaders.ATTEMPT, 1, Integer.class) >= maxAttempts);
    }

    /**
     * This attempt was the probe of its partner's circuit (delivery.PartnerCircuit) and the partner is still down:
     * the referral goes back to its queue with the attempts it had spent before. Rolled back instead, each probe
     * spent an attempt, and a long outage brought the referrals tried as probes — the most urgent waiting, the
     * queue's head — to their DLQ after about half an hour while the others waited.
     */
    boolean goesBackUntried(Exchange exchange) {
        Exception e = caught(exchange);
        // not one that came back past its last attempt unfinished (it may kill the hub): that one ends in the DLQ
        return PartnerCircuit.isProbe(exchange) && retryable(e) && !(e instanceof UnfinishedAttemptsException);
    }

    private static Exception caught(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        return e != null ? e : exchange.getException();
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
        recordInJourney(incidentId, referralId, partner, Step.ATTEMPT, attempt, outcome,
                goesBackUntried(exchange) ? PROBE_FAILED : retryable ? "retryable" : "refused");

        boolean ends = endsDelivery(exchange);
        metrics.failed(exchange, ends, DeliveryFailedException.describe(e));
        if (goesBackUntried(exchange)) {
            putBack(exchange, attempt);
            LOG.warn("Referral {} to {}: probe failed ({}); back in its queue, attempt {} of {} not spent",
                    referralId, partner, outcome, attempt, maxAttempts);
            return;
        }
        if (!ends) {
            LOG.warn("Referral {} to {}: attempt {} of {} failed ({}); the broker will redeliver it",
                    referralId, partner, attempt, maxAttempts, outcome);
            return;
        }
        String reason = retryable
                ? "gave up after " + attempt + " attempts; last: " + describe(e)
                : "partner refused the referral: " + describe(e);
        exchange.setProperty(HubHeaders.DEAD_LETTER, true);
        Message dead = asItCame(exchange);
        // an operator's retry from the DLQ gets every attempt again, as its new message's delivery count does
        dead.removeHeader(HubHeaders.ATTEMPTS_SPENT);
        dead.setHeader(HubHeaders.FAILURE_STATUS, refusal == null ? 0 : refusal.status());
        dead.setHeader(HubHeaders.FAILURE_REASON, reason);
        dead.setHeader(HubHeaders.ATTEMPTS, attempt);
        dead.setHeader(ORIGINAL_ADDRESS, "cphub.deliver." + partner);
        dead.setHeader(ORIGINAL_QUEUE, "cphub.deliver." + partner);
        recordInJourney(incidentId, referralId, partner, Step.DEAD_LETTERED, attempt, outcome,
                retryable ? "attempts exhausted" : "refused by partner");
        LOG.error("Referral {} of incident {} to {} moved to cphub.dlq.{} ({}, attempt {})",
                referralId, incidentId, partner, partner, outcome, attempt);
    }

    /**
     * The failure's journey row, unless the store is down: then the referral's way (back to its queue, to its DLQ,
     * or a rollback for the broker to redeliver) does not wait for the store. Failing here failed Camel's error
     * handler itself: its fatal fallback rolled back even a failed probe, which then spent its attempt, so a store
     * outage of about an hour could bring referrals to a DLQ (StoreOutageIT).
     */
    private void recordInJourney(String incidentId, String referralId, String partner, Step step, int attempt,
                                 String outcome, String detail) {
        try {
            journey.record(incidentId, referralId, partner, step, attempt, outcome, detail);
        } catch (DataAccessException storeDown) {
            LOG.warn("Referral {} to {}: journey step {} of attempt {} ({}) not recorded, the store failed ({})",
                    referralId, partner, step, attempt, outcome, storeDown.getClass().getSimpleName());
        }
    }

    /**
     * The referral as it came, for its own queue again (the error route sends it there in the same transaction),
     * with the attempts spent so far without this one.
     */
    private static void putBack(Exchange exchange, int attempt) {
        DeliveryContext.Original original = exchange.getProperty(DeliveryContext.ORIGINAL, DeliveryContext.Original.class);
        Object queue = original == null ? null : original.headers().get("JMSDestination");
        if (!(queue instanceof jakarta.jms.Queue destination)) {
            // thrown in the error handler: the transaction rolls back and the broker redelivers it, as before probes
            throw new IllegalStateException("a probe's referral without its queue: " + queue);
        }
        try {
            exchange.setProperty(HubHeaders.BACK_TO_QUEUE, destination.getQueueName());
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException("a probe's referral without its queue's name", e);
        }
        Message back = asItCame(exchange);
        back.removeHeader("JMSXDeliveryCount");
        back.setHeader(HubHeaders.ATTEMPTS_SPENT, attempt - 1);
    }

    /**
     * The referral as its queue gave it (DeliveryContext keeps it), not the partner's answer or the headers sent to
     * it, without its duplicate id: the broker would take a copy for the referral it already has.
     */
    private static Message asItCame(Exchange exchange) {
        Message message = exchange.getMessage();
        DeliveryContext.Original original = exchange.getProperty(DeliveryContext.ORIGINAL, DeliveryContext.Original.class);
        if (original != null) {
            message.getHeaders().clear();
            message.getHeaders().putAll(original.headers());
            message.setBody(original.body());
        }
        message.removeHeader(HubHeaders.ARTEMIS_DUPLICATE_ID);
        return message;
    }

    /** The failure as operators read it in the DLQ: the hub's own words (status or exception), no partner text. */
    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }
}

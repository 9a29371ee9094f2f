package vn.quangninh.cphub.outbox;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.partner.PartnerRegistry;

/**
 * Messages the hub itself writes to a partner — a referral's status for the partner that reported the
 * incident, a clock escalation for the supervisor, a camera alert for its site's verifier — handed to the route
 * {@code partner-outbox} (routes/partner-outbox.camel.yaml, so every such send shows in Hawtio), which puts them
 * on the partner's delivery queue {@code cphub.deliver.<partner>} (JMS priority 9, an escalation: its emergency
 * lane, {@link Lane}), where its sink delivers them with the same guarantees as referrals.
 * The send is persistent and synchronous: when this returns, the broker has the message; when the broker
 * cannot take it, this throws.
 */
@Component
public class PartnerOutbox {

    /** The route that sends (routes/partner-outbox.camel.yaml). */
    static final String ROUTE = "direct:partner-outbox";
    /** Exchange property naming the partner's queue; a property, so it does not travel as a JMS property. */
    static final String QUEUE = "cphubOutboxQueue";

    private final ProducerTemplate producer;
    private final PartnerRegistry partners;

    public PartnerOutbox(ProducerTemplate producer, PartnerRegistry partners) {
        this.producer = producer;
        this.partners = partners;
    }

    /** True when the partner has a sink, so messages for it are delivered. */
    public boolean canReach(String partner) {
        return partners.find(partner).map(p -> p.sink() != null).orElse(false);
    }

    /**
     * @param duplicateId the same message sent twice (a retried timer, a repeated status) carries the same id,
     *                    and the broker keeps only the first
     */
    public void send(String partner, String kind, ObjectNode body, String incidentId, String referralId,
                     String duplicateId, int jmsPriority) {
        if (!canReach(partner)) {
            throw new IllegalStateException("partner " + partner + " has no sink in config/partners.yaml");
        }
        Exchange sent = producer.send(ROUTE, exchange -> {
            exchange.getMessage().setBody(body.toString());
            address(exchange, partner, kind, incidentId, referralId, duplicateId, jmsPriority);
        });
        if (sent.getException() != null) {
            throw new CamelExecutionException("could not put a " + kind + " for " + partner + " on "
                    + sent.getProperty(QUEUE, String.class), sent, sent.getException());
        }
    }

    /**
     * A route's step before {@code direct:partner-outbox}: the message (its body already written) is addressed to
     * the partner's delivery queue, with the hub's headers only (whatever the route had received is dropped).
     *
     * @param duplicateId the same message sent twice (a retried timer, a redelivered episode) carries the same id,
     *                    and the broker keeps only the first
     */
    public void address(Exchange exchange, String partner, String kind, String incidentId, String referralId,
                        String duplicateId, int jmsPriority) {
        if (!canReach(partner)) {
            throw new IllegalStateException("partner " + partner + " has no sink in config/partners.yaml");
        }
        Map<String, Object> headers = new HashMap<>();
        headers.put(HubHeaders.MESSAGE_KIND, kind);
        headers.put(HubHeaders.INCIDENT_ID, incidentId);
        headers.put(HubHeaders.REFERRAL_ID, referralId);
        headers.put(HubHeaders.PARTNER, partner);
        headers.put(HubHeaders.ARTEMIS_DUPLICATE_ID, duplicateId);
        headers.put(HubHeaders.DELIVERY_KEY, duplicateId);
        headers.put("JMSPriority", jmsPriority);
        exchange.getMessage().setHeaders(headers);
        // JMS priority 9 (an escalation) travels in the partner's emergency lane
        exchange.setProperty(QUEUE, Lane.ofJmsPriority(jmsPriority).queue(partner));
    }
}

package vn.quangninh.cphub.delivery;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.partner.PartnerRegistry;

/**
 * Messages the hub itself writes to a partner — a referral's status for the partner that reported the
 * incident, a clock escalation for the supervisor — put on the partner's delivery queue
 * {@code cphub.deliver.<partner>} (JMS priority 9, an escalation: its emergency lane, {@link Lane}), so its sink
 * delivers them with the same guarantees as referrals.
 * The send is persistent and synchronous: when this returns, the broker has the message.
 */
@Component
public class PartnerOutbox {

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
        Map<String, Object> headers = new HashMap<>();
        headers.put(HubHeaders.MESSAGE_KIND, kind);
        headers.put(HubHeaders.INCIDENT_ID, incidentId);
        headers.put(HubHeaders.REFERRAL_ID, referralId);
        headers.put(HubHeaders.PARTNER, partner);
        headers.put(HubHeaders.ARTEMIS_DUPLICATE_ID, duplicateId);
        headers.put(HubHeaders.DELIVERY_KEY, duplicateId);
        headers.put("JMSPriority", jmsPriority);
        // JMS priority 9 (an escalation) travels in the partner's emergency lane
        producer.sendBodyAndHeaders("jms:queue:" + Lane.ofJmsPriority(jmsPriority).queue(partner)
                + "?preserveMessageQos=true&deliveryPersistent=true", body.toString(), headers);
    }
}

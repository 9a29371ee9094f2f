package vn.quangninh.cphub.routing;

import vn.quangninh.cphub.model.Referral;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;

/**
 * Turns a {@link Referral} into the message put on {@code cphub.deliver.<partner>}: the JSON a partner
 * receives, a JMS priority, and the referral id as Artemis duplicate-detection id.
 */
@Component("referralEnvelope")
public class ReferralEnvelope implements Processor {

    private final ObjectMapper json;

    public ReferralEnvelope(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Referral referral = exchange.getMessage().getMandatoryBody(Referral.class);
        ObjectNode envelope = json.createObjectNode();
        envelope.put("kind", "referral");
        envelope.put("referralId", referral.referralId().toString());
        envelope.put("incidentId", referral.incidentId().toString());
        envelope.put("recipient", referral.partner());
        envelope.put("profile", referral.profile());
        envelope.set("withheld", json.valueToTree(referral.withheld()));
        envelope.put("legalBasis", referral.legalBasis().id());
        Object links = exchange.getProperty(HubHeaders.LINKS);
        if (links instanceof java.util.List<?> linked && !linked.isEmpty()) {
            envelope.set("linkedIncidents", json.valueToTree(links));
        }
        envelope.set("incident", referral.incident());

        Message out = exchange.getMessage();
        out.setBody(envelope.toString());
        out.setHeader(HubHeaders.REFERRAL_ID, referral.referralId().toString());
        out.setHeader(HubHeaders.PARTNER, referral.partner());
        out.setHeader("JMSPriority", referral.jmsPriority());
        out.setHeader(HubHeaders.ARTEMIS_DUPLICATE_ID, referral.referralId().toString());
        out.setHeader(HubHeaders.DELIVERY_KEY, referral.referralId().toString());
        out.setHeader(HubHeaders.MESSAGE_KIND, "referral");
    }
}

package vn.quangninh.cphub.routing;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Body;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.incident.Incident;

/** Decides the referrals for one canonical incident: who receives it and what each may see. */
@Component("referralPlanner")
public class ReferralPlanner {

    private final RoutingRules rules;
    private final ObjectMapper json;

    public ReferralPlanner(RoutingRules rules, ObjectMapper json) {
        this.rules = rules;
        this.json = json;
    }

    public List<Referral> plan(@Body String incidentJson) throws JsonProcessingException {
        ObjectNode tree = (ObjectNode) json.readTree(incidentJson);
        Incident incident = json.treeToValue(tree, Incident.class);
        return rules.recipientsFor(incident).stream()
                .map(m -> new Referral(Referral.idFor(incident.incidentId(), m.partner()), incident.incidentId(),
                        m.partner(), m.profileName(), m.rule(), incident.priority(), m.profile().withheld(),
                        m.profile().apply(tree)))
                .toList();
    }
}

package vn.quangninh.cphub.routing;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Body;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.incident.Incident;

/** Decides the referrals for one canonical incident: who receives it, what each may see, on what basis. */
@Component("referralPlanner")
public class ReferralPlanner {

    private final RoutingRules rules;
    private final ObjectMapper json;
    private final Clock clock;

    public ReferralPlanner(RoutingRules rules, ObjectMapper json, Clock clock) {
        this.rules = rules;
        this.json = json;
        this.clock = clock;
    }

    public List<Referral> plan(@Body String incidentJson) throws JsonProcessingException {
        ObjectNode tree = (ObjectNode) json.readTree(incidentJson);
        Incident incident = json.treeToValue(tree, Incident.class);
        Instant receivedAt = incident.receivedAt() == null ? clock.instant() : incident.receivedAt().toInstant();
        return rules.recipientsFor(incident).stream()
                .map(m -> new Referral(Referral.idFor(incident.incidentId(), m.partner()), incident.incidentId(),
                        m.partner(), incident.source().system(), m.profileName(), m.rule(), m.legalBasis(), m.clocks(),
                        incident.priority(), receivedAt, m.profile().withheld(), m.profile().apply(tree)))
                .toList();
    }
}

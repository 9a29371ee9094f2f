package vn.quangninh.cphub.routing;

import vn.quangninh.cphub.model.Referral;
import vn.quangninh.cphub.model.LegalBasis;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Body;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.referral.ReferralBook;

/**
 * Decides the referrals for one canonical incident: who receives it, what each may see, on what basis.
 * An alert goes where config/routing.yaml sends it. An update ({@code messageType: update} with
 * {@code references}) follows the referrals of the incidents it updates — the same partners, each under
 * the profile, rule and legal basis of its referral — and starts no clock (the referral it updates runs
 * them). Only the partner an incident came from updates it that way; an update of incidents with no
 * referral (yet, or from another partner) is routed by the rules like an alert, still without clocks.
 */
@Component("referralPlanner")
public class ReferralPlanner {

    private final RoutingRules rules;
    private final ReferralBook book;
    private final ObjectMapper json;
    private final Clock clock;

    public ReferralPlanner(RoutingRules rules, ReferralBook book, ObjectMapper json, Clock clock) {
        this.rules = rules;
        this.book = book;
        this.json = json;
        this.clock = clock;
    }

    public List<Referral> plan(@Body String incidentJson) throws JsonProcessingException {
        ObjectNode tree = (ObjectNode) json.readTree(incidentJson);
        Incident incident = json.treeToValue(tree, Incident.class);
        Instant receivedAt = incident.receivedAt() == null ? clock.instant() : incident.receivedAt().toInstant();
        if ("update".equals(incident.messageType()) && incident.references() != null) {
            List<Referral> updates = followingReferrals(incident, tree, receivedAt);
            if (!updates.isEmpty()) {
                return updates;
            }
        }
        boolean alert = !"update".equals(incident.messageType());
        return rules.recipientsFor(incident).stream()
                .map(m -> new Referral(Referral.idFor(incident.incidentId(), m.partner()), incident.incidentId(),
                        m.partner(), incident.source().system(), m.profileName(), m.rule(), m.legalBasis(),
                        alert ? m.clocks() : List.<String>of(), incident.priority(), receivedAt, m.profile().withheld(),
                        m.profile().apply(tree)))
                .toList();
    }

    /** Whether triage has no recipient for the incident (the triage route's filter for cphub.unrouted). */
    public boolean noRecipient(@Body List<Referral> planned) {
        return planned.isEmpty();
    }

    private List<Referral> followingReferrals(Incident update, ObjectNode tree, Instant receivedAt) {
        Map<String, Referral> byPartner = new LinkedHashMap<>();
        for (UUID referenced : update.references()) {
            for (ReferralBook.Entry earlier : book.referralsOf(referenced)) {
                if (!java.util.Objects.equals(earlier.origin(), update.source().system())) {
                    continue; // only the partner an incident came from updates it
                }
                // a profile since removed from routing.yaml: the update discloses nothing of the groups
                RedactionProfile profile = rules.current().profiles().getOrDefault(earlier.profile(),
                        new RedactionProfile("withdrawn profile", List.of()));
                byPartner.putIfAbsent(earlier.partner(), new Referral(Referral.idFor(update.incidentId(), earlier.partner()),
                        update.incidentId(), earlier.partner(), update.source().system(), earlier.profile(), earlier.rule(),
                        LegalBasis.of(earlier.legalBasis()), List.of(), update.priority(), receivedAt, profile.withheld(),
                        profile.apply(tree)));
            }
        }
        return List.copyOf(byPartner.values());
    }
}

package vn.quangninh.cphub.routing;

import vn.quangninh.cphub.model.LegalBasis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.site.Site;
import vn.quangninh.cphub.site.SiteRegistry;

/**
 * One validated version of {@code config/routing.yaml}: the redaction profiles and the ordered rules.
 * Immutable; {@link RoutingRules} swaps in a new one when the file changes and validates.
 *
 * @param version the sha-256 of the file's text, to tell versions apart in logs and in Hawtio
 */
public record RuleSet(Map<String, RedactionProfile> profiles, List<Rule> rules, String version, Instant loadedAt) {

    /** One routing rule: all conditions present in {@code when} must hold. */
    public record Rule(String name, When when, LegalBasis legalBasis, List<Recipient> send) {
    }

    /**
     * The conditions of a rule; a missing one matches anything. District, commune and site kind are read
     * from the incident's location, and from its site in config/sites.yaml where the incident does not say.
     */
    public record When(List<String> channel, List<String> category, List<String> certainty, Integer priorityAtMost,
                       Boolean signsOfCrime, List<String> district, List<String> commune, List<String> siteKind) {

        boolean matches(Incident incident, SiteRegistry sites) {
            Incident.Location location = incident.location();
            Optional<Site> site = Optional.ofNullable(location).map(Incident.Location::siteId).flatMap(sites::find);
            String districtOf = location != null && location.district() != null ? location.district()
                    : site.map(Site::district).orElse(null);
            String communeOf = location != null && location.commune() != null ? location.commune()
                    : site.map(Site::commune).orElse(null);
            return (channel == null || channel.contains(incident.source().channel()))
                    && (category == null || category.contains(incident.category()))
                    && (certainty == null || certainty.contains(incident.certainty()))
                    && (priorityAtMost == null || incident.priority() <= priorityAtMost)
                    && (signsOfCrime == null || signsOfCrime == incident.hasSignsOfCrime())
                    && (district == null || district.contains(districtOf))
                    && (commune == null || commune.contains(communeOf))
                    && (siteKind == null || siteKind.contains(site.map(Site::kind).orElse(null)));
        }
    }

    /**
     * A recipient of a rule.
     *
     * @param legalBasis overrides the rule's legal basis for this recipient
     * @param clocks     the clocks of config/clocks.yaml its referral starts
     */
    public record Recipient(String partner, String profile, LegalBasis legalBasis, List<String> clocks) {
    }

    /** A recipient chosen for one incident, with its profile, legal basis and clocks resolved. */
    public record Match(String partner, String profileName, RedactionProfile profile, String rule,
                        LegalBasis legalBasis, List<String> clocks) {
    }

    /**
     * Every rule whose {@code when} holds adds its recipients; a partner named by an earlier rule keeps
     * that rule's profile and legal basis, and gains the clocks of later rules too.
     */
    public List<Match> recipientsFor(Incident incident, SiteRegistry sites) {
        Map<String, Match> chosen = new LinkedHashMap<>();
        for (Rule rule : rules) {
            if (rule.when() == null || rule.when().matches(incident, sites)) {
                for (Recipient r : rule.send()) {
                    List<String> clocks = r.clocks() == null ? List.of() : r.clocks();
                    Match earlier = chosen.get(r.partner());
                    if (earlier == null) {
                        chosen.put(r.partner(), new Match(r.partner(), r.profile(), profiles.get(r.profile()), rule.name(),
                                r.legalBasis() != null ? r.legalBasis() : rule.legalBasis(), List.copyOf(clocks)));
                    } else {
                        List<String> merged = new ArrayList<>(earlier.clocks());
                        clocks.stream().filter(c -> !merged.contains(c)).forEach(merged::add);
                        chosen.put(r.partner(), new Match(earlier.partner(), earlier.profileName(), earlier.profile(),
                                earlier.rule(), earlier.legalBasis(), List.copyOf(merged)));
                    }
                }
            }
        }
        return new ArrayList<>(chosen.values());
    }
}

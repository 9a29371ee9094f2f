package vn.quangninh.cphub.routing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import vn.quangninh.cphub.config.OperatorFiles;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.partner.PartnerRegistry;

/**
 * The rules of {@code config/routing.yaml}: which partners receive an incident, and through which
 * redaction profile. Every rule whose {@code when} holds adds its recipients; a partner named by an
 * earlier rule keeps that rule's profile. Checked at start-up against the partners and profiles.
 */
@Component
public class RoutingRules {

    private final Map<String, RedactionProfile> profiles;
    private final List<Rule> rules;

    public RoutingRules(OperatorFiles files, PartnerRegistry partners) {
        Path file = files.resolve("routing.yaml");
        RoutingFile content = files.read(file, RoutingFile.class);
        this.profiles = content.profiles() == null ? Map.of() : Map.copyOf(content.profiles());
        this.rules = content.rules() == null ? List.of() : List.copyOf(content.rules());
        check(file, partners);
    }

    record RoutingFile(Map<String, RedactionProfile> profiles, List<Rule> rules) {
    }

    /** One routing rule: all conditions present in {@code when} must hold. */
    public record Rule(String name, When when, List<Recipient> send) {
    }

    public record When(List<String> channel, List<String> category, List<String> certainty, Integer priorityAtMost,
                       Boolean signsOfCrime) {

        boolean matches(Incident incident) {
            return (channel == null || channel.contains(incident.source().channel()))
                    && (category == null || category.contains(incident.category()))
                    && (certainty == null || certainty.contains(incident.certainty()))
                    && (priorityAtMost == null || incident.priority() <= priorityAtMost)
                    && (signsOfCrime == null || signsOfCrime == incident.hasSignsOfCrime());
        }
    }

    public record Recipient(String partner, String profile) {
    }

    /** A recipient chosen for one incident, with its profile resolved. */
    public record Match(String partner, String profileName, RedactionProfile profile, String rule) {
    }

    public List<Match> recipientsFor(Incident incident) {
        Map<String, Match> chosen = new LinkedHashMap<>();
        for (Rule rule : rules) {
            if (rule.when() == null || rule.when().matches(incident)) {
                for (Recipient r : rule.send()) {
                    chosen.putIfAbsent(r.partner(), new Match(r.partner(), r.profile(), profiles.get(r.profile()), rule.name()));
                }
            }
        }
        return new ArrayList<>(chosen.values());
    }

    private void check(Path file, PartnerRegistry partners) {
        if (rules.isEmpty()) {
            throw new OperatorFiles.InvalidOperatorFileException(file, "it has no rules");
        }
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            String where = "rules[" + i + "] (" + rule.name() + ")";
            if (rule.name() == null || rule.name().isBlank()) {
                throw new OperatorFiles.InvalidOperatorFileException(file, "rules[" + i + "].name is missing");
            }
            if (rule.send() == null || rule.send().isEmpty()) {
                throw new OperatorFiles.InvalidOperatorFileException(file, where + ".send names no recipient");
            }
            for (Recipient r : rule.send()) {
                if (!partners.exists(r.partner())) {
                    throw new OperatorFiles.InvalidOperatorFileException(file,
                            where + " sends to partner '" + r.partner() + "', which config/partners.yaml does not list");
                }
                if (partners.find(r.partner()).orElseThrow().sink() == null) {
                    throw new OperatorFiles.InvalidOperatorFileException(file,
                            where + " sends to partner '" + r.partner() + "', which has no sink in config/partners.yaml");
                }
                if (!profiles.containsKey(r.profile())) {
                    throw new OperatorFiles.InvalidOperatorFileException(file,
                            where + " uses profile '" + r.profile() + "', which profiles: does not define");
                }
            }
        }
    }
}

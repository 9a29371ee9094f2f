package vn.quangninh.cphub.routing;

import vn.quangninh.cphub.model.FieldGroup;
import vn.quangninh.cphub.model.LegalBasis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

import vn.quangninh.cphub.SyntheticIncidents;
import vn.quangninh.cphub.TestHubProperties;
import vn.quangninh.cphub.clock.ClockPolicy;
import vn.quangninh.cphub.config.OperatorFiles;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.partner.PartnerRegistry;
import vn.quangninh.cphub.site.SiteRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

class RoutingRulesTest {

    private static final String PARTNERS = """
            partners:
              - id: police
                sink: {connector: agency-webhook, parameters: {url: "http://127.0.0.1:1/x"}}
              - id: shelter
                sink: {connector: agency-webhook, parameters: {url: "http://127.0.0.1:1/y"}}
              - id: supervisor
                sink: {connector: agency-webhook, parameters: {url: "http://127.0.0.1:1/z"}}
              - id: hotline-crm
                secretHash: "{noop}x"
            """;
    private static final String CLOCKS = """
            warnAtPercent: 75
            escalateTo: supervisor
            clocks:
              ack: {target: PT4H, stopsOn: received}
              plan: {workingDays: 5, stopsOn: closed}
            """;
    private static final String SITES = """
            sites:
              - {id: school-1, kind: school, name: School one, commune: Hong Ha, district: Ha Long}
            """;

    @TempDir
    Path config;

    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();

    @Test
    void everyMatchingRuleAddsItsRecipientsTheFirstProfileWinsAndClocksAddUp() throws Exception {
        RoutingRules rules = load("""
                profiles:
                  full: {groups: [identity, contact, medical, narrative, evidence, location]}
                  minimal: {groups: []}
                rules:
                  - name: crime
                    when: {signsOfCrime: true}
                    legalBasis: crime_prevention
                    send: [{partner: police, profile: full, clocks: [ack]}]
                  - name: sexual-abuse-also-to-shelter
                    when: {category: [sexual_abuse], priorityAtMost: 2}
                    legalBasis: emergency
                    send: [{partner: shelter, profile: minimal, legalBasis: consent}, {partner: police, profile: minimal, clocks: [plan]}]
                """);
        Incident crime = incident(n -> n.put("category", "sexual_abuse").put("priority", 1));
        assertThat(rules.recipientsFor(crime))
                .extracting(RuleSet.Match::partner, RuleSet.Match::profileName, RuleSet.Match::legalBasis, RuleSet.Match::clocks)
                .containsExactly(tuple("police", "full", LegalBasis.CRIME_PREVENTION, java.util.List.of("ack", "plan")),
                        tuple("shelter", "minimal", LegalBasis.CONSENT, java.util.List.of()));

        Incident neglect = incident(n -> n.put("category", "neglect").put("signsOfCrime", false).put("priority", 3));
        assertThat(rules.recipientsFor(neglect)).isEmpty();
    }

    @Test
    void districtCommuneAndSiteKindMatchTheIncidentOrItsSite() throws Exception {
        RoutingRules rules = load("""
                profiles: {p: {groups: []}}
                rules:
                  - name: schools-of-ha-long
                    when: {siteKind: [school], district: [Ha Long]}
                    legalBasis: statutory_duty
                    send: [{partner: shelter, profile: p}]
                """);
        // no district in the incident: the site's is used
        Incident atSchool = incident(n -> n.set("location", json.createObjectNode().put("siteId", "school-1")));
        assertThat(rules.recipientsFor(atSchool)).extracting(RuleSet.Match::partner).containsExactly("shelter");
        Incident elsewhere = incident(n -> n.set("location", json.createObjectNode().put("siteId", "school-1").put("district", "Cam Pha")));
        assertThat(rules.recipientsFor(elsewhere)).isEmpty();
        Incident noSite = incident(n -> n.set("location", json.createObjectNode().put("district", "Ha Long")));
        assertThat(rules.recipientsFor(noSite)).isEmpty();
    }

    @Test
    void errorsNameTheLineToFix() {
        assertThatThrownBy(() -> load("""
                profiles: {p: {groups: []}}
                rules:
                  - name: fine
                    legalBasis: consent
                    send: [{partner: police, profile: p}]
                  - name: to-crm
                    legalBasis: consent
                    send:
                      - {partner: police, profile: p}
                      - {partner: hotline-crm, profile: p}
                """)).hasMessageContaining("line 10: rules[1] (to-crm)").hasMessageContaining("has no sink");
        assertThatThrownBy(() -> load("""
                profiles: {p: {groups: []}}
                rules:
                  - name: r
                    legalBasis: consent
                    sned: [{partner: police, profile: p}]
                """)).hasMessageContaining("routing.yaml").hasMessageContaining("line 5").hasMessageContaining("sned");
        assertThatThrownBy(() -> load("""
                profiles: {p: {groups: []}}
                rules:
                  - name: r
                    send: [{partner: police, profile: p}]
                """)).hasMessageContaining("line 4").hasMessageContaining("no legalBasis");
        assertThatThrownBy(() -> load("""
                profiles: {p: {groups: []}}
                rules:
                  - name: r
                    legalBasis: consent
                    send: [{partner: police, profile: p, clocks: [forever]}]
                """)).hasMessageContaining("clock 'forever'");
    }

    @Test
    void anUnknownPartnerProfileFieldGroupOrLegalBasisIsRefused() {
        assertThatThrownBy(() -> load("""
                profiles: {p: {groups: []}}
                rules: [{name: r, legalBasis: consent, send: [{partner: nobody, profile: p}]}]
                """)).hasMessageContaining("partner 'nobody'");
        assertThatThrownBy(() -> load("""
                profiles: {p: {groups: []}}
                rules: [{name: r, legalBasis: consent, send: [{partner: police, profile: missing}]}]
                """)).hasMessageContaining("profile 'missing'");
        assertThatThrownBy(() -> load("""
                profiles: {p: {groups: [photos]}}
                rules: [{name: r, legalBasis: consent, send: [{partner: police, profile: p}]}]
                """)).hasMessageContaining("unknown field group 'photos'");
        assertThatThrownBy(() -> load("""
                profiles: {p: {groups: []}}
                rules: [{name: r, legalBasis: curiosity, send: [{partner: police, profile: p}]}]
                """)).hasMessageContaining("unknown legal basis 'curiosity'");
    }

    @Test
    void aChangedFileThatValidatesReplacesTheRulesAndABadOneIsRefusedKeepingThePrevious() throws Exception {
        RoutingRules rules = load("""
                profiles: {p: {groups: []}}
                rules: [{name: crime, when: {signsOfCrime: true}, legalBasis: crime_prevention, send: [{partner: police, profile: p}]}]
                """);
        Incident crime = incident(n -> n.put("signsOfCrime", true));
        String first = rules.getVersion();

        Files.writeString(config.resolve("routing.yaml"), """
                profiles: {p: {groups: []}}
                rules: [{name: crime, when: {signsOfCrime: true}, legalBasis: crime_prevention, send: [{partner: shelter, profile: p}]}]
                """);
        rules.reloadIfChanged();
        assertThat(rules.recipientsFor(crime)).extracting(RuleSet.Match::partner).containsExactly("shelter");
        assertThat(rules.getVersion()).isNotEqualTo(first);
        assertThat(rules.getLastRefusal()).isEmpty();

        String second = rules.getVersion();
        Files.writeString(config.resolve("routing.yaml"), """
                profiles: {p: {groups: []}}
                rules: [{name: crime, legalBasis: crime_prevention, send: [{partner: nobody, profile: p}]}]
                """);
        rules.reloadIfChanged();
        assertThat(rules.recipientsFor(crime)).extracting(RuleSet.Match::partner).containsExactly("shelter");
        assertThat(rules.getVersion()).isEqualTo(second);
        assertThat(rules.getLastRefusal()).contains("line 2").contains("partner 'nobody'");

        Files.writeString(config.resolve("routing.yaml"), "rules: [ {name: broken");
        assertThat(rules.reload()).startsWith("refused");
        assertThat(rules.recipientsFor(crime)).extracting(RuleSet.Match::partner).containsExactly("shelter");

        Files.delete(config.resolve("routing.yaml"));
        rules.reloadIfChanged();
        assertThat(rules.recipientsFor(crime)).extracting(RuleSet.Match::partner).containsExactly("shelter");
        assertThat(rules.getLastRefusal()).contains("missing");

        Files.writeString(config.resolve("routing.yaml"), """
                profiles: {p: {groups: []}}
                rules: [{name: crime, when: {signsOfCrime: true}, legalBasis: crime_prevention, send: [{partner: shelter, profile: p}]}]
                """);
        rules.reloadIfChanged();
        assertThat(rules.getLastRefusal()).as("the file in force is back").isEmpty();
        assertThat(rules.getVersion()).isEqualTo(second);
    }

    @Test
    void theShippedRoutingFileSendsCrimesToPoliceWithoutMedicalCodesAndEveryReportToTheCommune() throws Exception {
        for (String name : new String[] {"partners.yaml", "routing.yaml", "clocks.yaml", "sites.yaml"}) {
            Files.copy(Path.of("config", name), config.resolve(name));
        }
        RoutingRules rules = rules(files());
        var matches = rules.recipientsFor(incident(n -> n.put("signsOfCrime", true)));
        assertThat(matches).extracting(RuleSet.Match::partner).containsExactly("police", "social-affairs");
        assertThat(matches.get(0).profile().withheld()).containsExactly(FieldGroup.MEDICAL);
        assertThat(matches.get(1).legalBasis()).isEqualTo(LegalBasis.STATUTORY_DUTY);
        assertThat(matches.get(1).clocks()).containsExactly("forward", "acknowledge", "plan");

        var danger = rules.recipientsFor(incident(n -> n.put("signsOfCrime", false).put("priority", 1)));
        assertThat(danger).extracting(RuleSet.Match::partner, RuleSet.Match::legalBasis, RuleSet.Match::clocks)
                .containsExactly(tuple("police", LegalBasis.EMERGENCY, java.util.List.of("emergency")),
                        tuple("social-affairs", LegalBasis.EMERGENCY, java.util.List.of("emergency", "forward", "acknowledge", "plan")));

        assertThat(rules.recipientsFor(incident(n -> n.put("signsOfCrime", false).put("certainty", "ruled_out").put("priority", 3))))
                .isEmpty();
    }

    private RoutingRules load(String routing) throws Exception {
        Files.writeString(config.resolve("partners.yaml"), PARTNERS);
        Files.writeString(config.resolve("clocks.yaml"), CLOCKS);
        Files.writeString(config.resolve("sites.yaml"), SITES);
        Files.writeString(config.resolve("routing.yaml"), routing);
        return rules(files());
    }

    private static RoutingRules rules(OperatorFiles files) {
        PartnerRegistry partners = new PartnerRegistry(files);
        return new RoutingRules(files, partners, new ClockPolicy(files, partners), new SiteRegistry(files), new SimpleMeterRegistry());
    }

    private OperatorFiles files() {
        return TestHubProperties.operatorFiles(config, new MockEnvironment());
    }

    private Incident incident(java.util.function.Consumer<ObjectNode> change) throws Exception {
        ObjectNode node = SyntheticIncidents.incident("T-" + UUID.randomUUID());
        node.put("incidentId", UUID.randomUUID().toString());
        change.accept(node);
        return json.treeToValue(node, Incident.class);
    }
}

package vn.quangninh.cphub.routing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

import vn.quangninh.cphub.TestHubProperties;
import vn.quangninh.cphub.SyntheticIncidents;
import vn.quangninh.cphub.config.OperatorFiles;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.partner.PartnerRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutingRulesTest {

    private static final String PARTNERS = """
            partners:
              - id: police
                sink: {connector: police-intake-http, parameters: {url: "http://127.0.0.1:1/x"}}
              - id: shelter
                sink: {connector: police-intake-http, parameters: {url: "http://127.0.0.1:1/y"}}
              - id: hotline-crm
                secretHash: "{noop}x"
            """;

    @TempDir
    Path config;

    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();

    @Test
    void everyMatchingRuleAddsItsRecipientsAndTheFirstProfileWins() throws Exception {
        RoutingRules rules = load("""
                profiles:
                  full: {groups: [identity, contact, medical, narrative, evidence, location]}
                  minimal: {groups: []}
                rules:
                  - name: crime
                    when: {signsOfCrime: true}
                    send: [{partner: police, profile: full}]
                  - name: sexual-abuse-also-to-shelter
                    when: {category: [sexual_abuse], priorityAtMost: 2}
                    send: [{partner: shelter, profile: minimal}, {partner: police, profile: minimal}]
                """);
        Incident crime = incident(n -> n.put("category", "sexual_abuse").put("priority", 1));
        assertThat(rules.recipientsFor(crime)).extracting(RoutingRules.Match::partner, RoutingRules.Match::profileName)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("police", "full"),
                        org.assertj.core.groups.Tuple.tuple("shelter", "minimal"));

        Incident neglect = incident(n -> n.put("category", "neglect").put("signsOfCrime", false).put("priority", 3));
        assertThat(rules.recipientsFor(neglect)).isEmpty();
    }

    @Test
    void aRuleNamingAPartnerWithoutASinkIsRefusedWithItsName() throws Exception {
        assertThatThrownBy(() -> load("""
                profiles: {p: {groups: []}}
                rules:
                  - name: to-crm
                    send: [{partner: hotline-crm, profile: p}]
                """)).hasMessageContaining("rules[0] (to-crm)").hasMessageContaining("has no sink");
    }

    @Test
    void anUnknownPartnerProfileOrFieldGroupIsRefused() {
        assertThatThrownBy(() -> load("""
                profiles: {p: {groups: []}}
                rules: [{name: r, send: [{partner: nobody, profile: p}]}]
                """)).hasMessageContaining("partner 'nobody'");
        assertThatThrownBy(() -> load("""
                profiles: {p: {groups: []}}
                rules: [{name: r, send: [{partner: police, profile: missing}]}]
                """)).hasMessageContaining("profile 'missing'");
        assertThatThrownBy(() -> load("""
                profiles: {p: {groups: [photos]}}
                rules: [{name: r, send: [{partner: police, profile: p}]}]
                """)).hasMessageContaining("unknown field group 'photos'");
        assertThatThrownBy(() -> load("""
                profiles: {p: {groups: []}}
                rules: [{name: r, sned: [{partner: police, profile: p}]}]
                """)).hasMessageContaining("routing.yaml").hasMessageContaining("sned");
    }

    @Test
    void theShippedRoutingFileSendsCrimesToPoliceWithoutMedicalCodes() throws Exception {
        Files.copy(Path.of("config/partners.yaml"), config.resolve("partners.yaml"));
        Files.copy(Path.of("config/routing.yaml"), config.resolve("routing.yaml"));
        OperatorFiles files = files();
        RoutingRules rules = new RoutingRules(files, new PartnerRegistry(files));
        var matches = rules.recipientsFor(incident(n -> n.put("signsOfCrime", true)));
        assertThat(matches).extracting(RoutingRules.Match::partner).containsExactly("police");
        assertThat(matches.get(0).profile().withheld()).containsExactly(FieldGroup.MEDICAL);
    }

    private RoutingRules load(String routing) throws Exception {
        Files.writeString(config.resolve("partners.yaml"), PARTNERS);
        Files.writeString(config.resolve("routing.yaml"), routing);
        OperatorFiles files = files();
        return new RoutingRules(files, new PartnerRegistry(files));
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

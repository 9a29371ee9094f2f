package vn.quangninh.cphub.secrets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

import vn.quangninh.cphub.HubProperties;
import vn.quangninh.cphub.TestHubProperties;
import vn.quangninh.cphub.config.OperatorFiles;
import vn.quangninh.cphub.partner.PartnerRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The repository's own config/ and connectors/, read as a deployment would with a profile active: every
 * development secret is named (file, line, the variable that replaces it), none is printed, and once the
 * variables are set the hub starts. On the embedded default profile they are allowed.
 */
class DevelopmentSecretsTest {

    private static final Path CONFIG = Path.of("config");

    @Test
    void aProfileWithTheRepositorysSecretsIsRefusedNamingEachOne() {
        MockEnvironment compose = shippedDefaults();
        compose.setActiveProfiles("compose");

        assertThatThrownBy(() -> secrets(compose).refuseOutsideTheEmbeddedDefaults())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("profile(s) compose")
                .hasMessageContaining("config/partners.yaml line " + lineOf("config/partners.yaml", "HOTLINE_CRM_SIGNING_SECRET")
                        + " (HOTLINE_CRM_SIGNING_SECRET)")
                .hasMessageContaining("(HOTLINE_CRM_WEBHOOK_SECRET)")
                .hasMessageContaining("(SOCIAL_AFFAIRS_WEBHOOK_TOKEN)")
                .hasMessageContaining("(HOSPITAL_BAICHAY_WEBHOOK_PASSWORD)")
                .hasMessageContaining("(CP_SUPERVISOR_WEBHOOK_TOKEN)")
                .hasMessageContaining("(CCTV_DESK_HALONG_WEBHOOK_TOKEN)")
                .hasMessageContaining("config/sites.yaml line " + lineOf("config/sites.yaml", "CAM_HONGHA_GATE_KEY") + " (CAM_HONGHA_GATE_KEY)")
                .hasMessageContaining("(CAM_SHELTER_HALL_KEY)")
                .hasMessageContaining("the secretHash of partner hotline-crm is the development secret's (HOTLINE_CRM_SECRET_HASH")
                .hasMessageContaining("the secretHash of partner hospital-baichay")
                .hasMessageContaining("(CPHUB_LINKING_KEY)")
                .hasMessageContaining("(CPHUB_EVIDENCE_KEY")
                .hasMessageContaining("(CPHUB_CONTENT_KEY")
                .satisfies(e -> assertThat(e.getMessage()).as("names, never the secrets")
                        .doesNotContain("dev-only-signing-secret", "dev-only-token", "hotline-crm-dev-secret", "$2a$"));
    }

    @Test
    void withEveryVariableSetTheProfileStarts() throws Exception {
        MockEnvironment production = shippedDefaults();
        production.setActiveProfiles("compose");
        production.setProperty("cphub.linking.key", "a-real-linking-key-of-the-province");
        production.setProperty("cphub.cctv.evidence.key", "cmVhbC1ldmlkZW5jZS1rZXktMDAwMDAwMDAwMDAwMDA=");
        production.setProperty("cphub.content.key", "cmVhbC1jb250ZW50LWtleS0wMDAwMDAwMDAwMDAwMDA=");
        String realHash = PasswordEncoderFactories.createDelegatingPasswordEncoder().encode("a-real-partner-secret");
        Matcher variables = Pattern.compile("\\$\\{([A-Z0-9_]+):(dev-only-|\\{bcrypt)").matcher(
                Files.readString(CONFIG.resolve("partners.yaml")) + Files.readString(CONFIG.resolve("sites.yaml")));
        while (variables.find()) {
            production.setProperty(variables.group(1), variables.group(1).endsWith("_HASH") ? realHash
                    : "a-real-value-for-" + variables.group(1).toLowerCase() + "-0123456789");
        }
        DevelopmentSecrets secrets = secrets(production);
        assertThat(secrets.inUse()).isEmpty();
        secrets.refuseOutsideTheEmbeddedDefaults();
    }

    @Test
    void theEmbeddedDefaultProfileRunsWithThem() {
        DevelopmentSecrets secrets = secrets(shippedDefaults());
        assertThat(secrets.inUse()).hasSizeGreaterThan(10);
        secrets.refuseOutsideTheEmbeddedDefaults();
    }

    /** application.yaml's defaults of the two keys. */
    private static MockEnvironment shippedDefaults() {
        return new MockEnvironment()
                .withProperty("cphub.linking.key", "dev-only-linking-key-change-me")
                .withProperty("cphub.cctv.evidence.key", "ZGV2LW9ubHktZXZpZGVuY2Uta2V5LWNoYW5nZS1tZSE=")
                .withProperty("cphub.content.key", "ZGV2LW9ubHktY29udGVudC1rZXktY2hhbmdlLW1lISE=");
    }

    private static DevelopmentSecrets secrets(MockEnvironment environment) {
        HubProperties hub = new HubProperties(CONFIG, CONFIG, Path.of("connectors"), null, null, null);
        OperatorFiles files = TestHubProperties.operatorFiles(CONFIG, environment);
        return new DevelopmentSecrets(environment, hub, new PartnerRegistry(files));
    }

    /** The line of the shipped file where {@code placeholder} is (the message names it by line). */
    private static int lineOf(String file, String placeholder) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("${" + placeholder + ":")) {
                    return i + 1;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError(placeholder + " is not in " + file);
    }
}

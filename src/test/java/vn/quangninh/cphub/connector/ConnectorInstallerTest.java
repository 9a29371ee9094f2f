package vn.quangninh.cphub.connector;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

import vn.quangninh.cphub.HubProperties;
import vn.quangninh.cphub.TestHubProperties;
import vn.quangninh.cphub.config.OperatorFiles;
import vn.quangninh.cphub.partner.PartnerRegistry;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A partner's sink settings are checked against its connector's parameter schema (the {@code spec.definition} of its
 * Kamelet file) before the hub starts.
 */
class ConnectorInstallerTest {

    @TempDir
    Path config;

    @Test
    void theShippedPartnersFitTheirConnectors() throws Exception {
        Files.copy(Path.of("config/partners.yaml"), config.resolve("partners.yaml"));
        assertThatCode(() -> installer().beforeApplicationStart(null)).doesNotThrowAnyException();
    }

    @Test
    void aSinkSettingThatDoesNotFitStopsTheHubNamingThePartner() throws Exception {
        Files.writeString(config.resolve("partners.yaml"), """
                partners:
                  - id: police
                    sink:
                      connector: agency-webhook
                      parameters: {url: "ftp://police.example/intake", responseTimeoutMs: 5, auth: {type: none}}
                """);
        assertThatThrownBy(() -> installer().beforeApplicationStart(null))
                .hasMessageContaining("sink of partner 'police'")
                .hasMessageContaining("spec.definition of connectors/agency-webhook/agency-webhook.kamelet.yaml")
                .hasMessageContaining("url")
                .hasMessageContaining("responseTimeoutMs");
    }

    @Test
    void anApiKeyHeaderIsASinkSettingButNotAHeaderTheHubSetsItself() throws Exception {
        Files.writeString(config.resolve("partners.yaml"), agencyWithHeader("X-Api-Key"));
        assertThatCode(() -> installer().beforeApplicationStart(null)).doesNotThrowAnyException();
        for (String reserved : new String[] {"Idempotency-Key", "content-type", "X-CPHub-Message-Kind", "Host"}) {
            Files.writeString(config.resolve("partners.yaml"), agencyWithHeader(reserved));
            assertThatThrownBy(() -> installer().beforeApplicationStart(null)).as(reserved)
                    .hasMessageContaining("sink of partner 'ngo'").hasMessageContaining("auth");
        }
    }

    private static String agencyWithHeader(String name) {
        return """
                partners:
                  - id: ngo
                    sink:
                      connector: agency-webhook
                      parameters:
                        url: "https://ngo.example/referrals"
                        auth: {type: header, name: "%s", value: "test-only-api-key-0001"}
                """.formatted(name);
    }

    @Test
    void aBodyMappingThatIsNotThereIsRefusedNamingThePartnerAndTheFile() throws Exception {
        Files.writeString(config.resolve("partners.yaml"), agencyWithHeader("X-Api-Key")
                .replace("url: \"https://ngo.example/referrals\"", "url: \"https://ngo.example/referrals\"\n        bodyMapping: ngo-cases.jsonata"));
        assertThatThrownBy(() -> installer().beforeApplicationStart(null))
                .hasMessageContaining("bodyMapping of partner 'ngo'")
                .hasMessageContaining("agency-webhook/mappings/ngo-cases.jsonata")
                .hasMessageContaining("cannot be read");
    }

    @Test
    void anUnknownConnectorStopsTheHub() throws Exception {
        Files.writeString(config.resolve("partners.yaml"), """
                partners:
                  - id: police
                    sink: {connector: carrier-pigeon, parameters: {}}
                """);
        assertThatThrownBy(() -> installer().beforeApplicationStart(null))
                .hasMessageContaining("connector 'carrier-pigeon'");
    }

    private ConnectorInstaller installer() {
        HubProperties hub = TestHubProperties.withConfig(config);
        return new ConnectorInstaller(new PartnerRegistry(new OperatorFiles(new MockEnvironment(), hub)), hub,
                new ObjectMapper());
    }
}

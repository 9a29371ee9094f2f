package vn.quangninh.cphub.connector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A sink connector is one Kamelet file; what is wrong with one is named by the file and the field. */
class KameletFileTest {

    private static final Path WEBHOOK = Path.of("connectors/agency-webhook/agency-webhook.kamelet.yaml");

    @Test
    void theShippedSinkIsOneKameletWhoseSecretsAreMarkedAsPasswords() throws Exception {
        KameletFile kamelet = KameletFile.read(WEBHOOK);
        assertThat(kamelet.name()).isEqualTo("agency-webhook");
        assertThat(kamelet.definition().path("required")).extracting(JsonNode::asText).contains("partnerId", "url", "auth");
        // every secret of every auth type and of tls: format password, so a form or a console masks it
        List<String> secrets = new ArrayList<>();
        passwords(kamelet.definition(), secrets);
        assertThat(secrets).containsExactlyInAnyOrder("token", "password", "secret", "value", "keyStorePassword",
                "trustStorePassword");
    }

    /** The names of the properties, at any depth, whose schema says {@code format: password}. */
    private static void passwords(JsonNode schema, List<String> found) {
        schema.fields().forEachRemaining(field -> {
            if (field.getValue().path("format").asText().equals("password")) {
                found.add(field.getKey());
            }
        });
        schema.elements().forEachRemaining(child -> passwords(child, found));   // an object's values, an array's items
    }

    @Test
    void aKameletWhoseNameIsNotItsFoldersIsRefusedNamingTheFileAndTheField() throws Exception {
        String text = Files.readString(WEBHOOK);
        Path copy = Path.of("connectors/court-webhook/court-webhook.kamelet.yaml");
        assertThatThrownBy(() -> KameletFile.parse(copy, text))
                .hasMessageContaining("court-webhook.kamelet.yaml")
                .hasMessageContaining("metadata.name is 'agency-webhook'");
        assertThat(KameletFile.parse(copy, text.replace("  name: agency-webhook", "  name: court-webhook")).name())
                .isEqualTo("court-webhook");
    }

    @Test
    void aKameletWithoutDefinitionOrTemplateIsRefusedNamingWhatIsMissing() throws Exception {
        String text = Files.readString(WEBHOOK);
        assertThatThrownBy(() -> KameletFile.parse(WEBHOOK, text.replace("  definition:", "  definitions:")))
                .hasMessageContaining("agency-webhook.kamelet.yaml: spec.definition.properties is missing");
        assertThatThrownBy(() -> KameletFile.parse(WEBHOOK, text.replace("  template:", "  flows:")))
                .hasMessageContaining("spec.template is missing");
        assertThatThrownBy(() -> KameletFile.parse(WEBHOOK, text.replace("kind: Kamelet", "kind: Pipe")))
                .hasMessageContaining("kind must be Kamelet");
        assertThatThrownBy(() -> KameletFile.parse(WEBHOOK, "spec: [ not yaml"))
                .hasMessageContaining("agency-webhook.kamelet.yaml is not YAML");
    }
}

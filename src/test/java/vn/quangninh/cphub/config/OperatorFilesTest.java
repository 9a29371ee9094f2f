package vn.quangninh.cphub.config;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

import vn.quangninh.cphub.TestHubProperties;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An operator's file that does not read is named with the place and the problem, never with its text. */
class OperatorFilesTest {

    @TempDir
    Path config;

    record Partners(java.util.List<java.util.Map<String, Object>> partners) {
    }

    @Test
    void aYamlErrorOnASecretsLineNamesTheLineButNotTheResolvedSecret() throws Exception {
        Files.writeString(config.resolve("partners.yaml"), """
                partners:
                  - id: ngo
                    sink:
                      parameters:
                        token: ${NGO_TOKEN} : broken
                """);
        OperatorFiles files = new OperatorFiles(new MockEnvironment().withProperty("NGO_TOKEN", "test-only-secret-0123456789"),
                TestHubProperties.withConfig(config));
        assertThatThrownBy(() -> files.read(files.resolve("partners.yaml"), Partners.class))
                .isInstanceOf(OperatorFiles.InvalidOperatorFileException.class)
                .hasMessageContaining("partners.yaml")
                .hasMessageContaining("line 5")
                .hasMessageNotContaining("test-only-secret");
    }

    @Test
    void aFieldOfTheWrongShapeIsNamedWithItsPlace() throws Exception {
        Files.writeString(config.resolve("partners.yaml"), "partners: {id: ngo}\n");
        OperatorFiles files = new OperatorFiles(new MockEnvironment(), TestHubProperties.withConfig(config));
        assertThatThrownBy(() -> files.read(files.resolve("partners.yaml"), Partners.class))
                .hasMessageContaining("line 1");
    }
}

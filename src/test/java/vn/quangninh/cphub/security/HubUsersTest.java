package vn.quangninh.cphub.security;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

import vn.quangninh.cphub.TestHubProperties;
import vn.quangninh.cphub.config.OperatorFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubUsersTest {

    @TempDir
    Path config;

    @Test
    void developmentUsersExistOnlyOnTheEmbeddedDefaultProfile() {
        MockEnvironment defaultProfile = new MockEnvironment();
        assertThat(HubUsers.load(files(defaultProfile), defaultProfile))
                .extracting(u -> u.getUsername()).containsExactly("viewer", "operator", "admin", "evidence", "statistics");
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        assertThat(HubUsers.load(files(defaultProfile), defaultProfile)).allSatisfy(user -> assertThat(
                encoder.matches(user.getUsername() + "-dev", user.getPassword())).as("%s's password is the README's", user.getUsername()).isTrue());

        MockEnvironment production = new MockEnvironment();
        production.setActiveProfiles("prod");
        assertThatThrownBy(() -> HubUsers.load(files(production), production))
                .hasMessageContaining("No console users configured for profile(s) prod");
    }

    @Test
    void usersComeFromUsersYamlWithHashesAndKnownRoles() throws Exception {
        MockEnvironment production = new MockEnvironment();
        production.setActiveProfiles("prod");
        Files.writeString(config.resolve("users.yaml"), """
                users:
                  - {name: duty, passwordHash: "{noop}x", roles: [operator]}
                """);
        assertThat(HubUsers.load(files(production), production)).singleElement()
                .satisfies(u -> assertThat(u.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_operator"));

        Files.writeString(config.resolve("users.yaml"), """
                users:
                  - {name: duty, passwordHash: "plain", roles: [operator]}
                """);
        assertThatThrownBy(() -> HubUsers.load(files(production), production)).hasMessageContaining("passwordHash");
        Files.writeString(config.resolve("users.yaml"), """
                users:
                  - {name: duty, passwordHash: "{noop}x", roles: [root]}
                """);
        assertThatThrownBy(() -> HubUsers.load(files(production), production)).hasMessageContaining("roles must be among");
    }

    private OperatorFiles files(MockEnvironment environment) {
        return TestHubProperties.operatorFiles(config, environment);
    }
}

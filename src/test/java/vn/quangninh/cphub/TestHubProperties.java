package vn.quangninh.cphub;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.unit.DataSize;

import vn.quangninh.cphub.config.OperatorFiles;

/** Hub settings for unit tests that read operator files from a folder of their own. */
public final class TestHubProperties {

    private TestHubProperties() {
    }

    public static HubProperties withConfig(Path configDir) {
        return new HubProperties(configDir, configDir, Path.of("connectors"),
                new HubProperties.Intake(DataSize.ofMegabytes(1), Duration.ofSeconds(30)),
                new HubProperties.Delivery(10, 8, 2, new HubProperties.Circuit(3, Duration.ofSeconds(30), Duration.ofSeconds(30))), null);
    }

    public static OperatorFiles operatorFiles(Path configDir, MockEnvironment environment) {
        return new OperatorFiles(environment, withConfig(configDir));
    }
}

package vn.quangninh.cphub.connector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import vn.quangninh.cphub.HubProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IT staff edit a connector file and name a bean the hub does not have. Camel only warns when it cannot create
 * the route, and the hub used to start healthy with nothing reaching police; now the packaged hub refuses to
 * start, and its log names the partner, the route and what is missing.
 */
class BrokenConnectorIT {

    @TempDir
    Path home;

    @Test
    void aSinkRouteThatCannotBeCreatedStopsTheHubWithTheReason() throws Exception {
        for (String dir : List.of("config", "routes", "connectors")) {
            copy(Path.of(dir), home.resolve(dir));
        }
        Path webhook = home.resolve("connectors/agency-webhook/agency-webhook.kamelet.yaml");
        String route = Files.readString(webhook);
        assertThat(route).contains("ref: deliveryOutcome");
        Files.writeString(webhook, route.replace("ref: deliveryOutcome", "ref: deliveryOutcomeMisspelt"));

        HubProcess hub = new HubProcess(home.resolve("data"), Map.of("CPHUB_HOME", home.toString()));
        try {
            try {
                hub.start();
            } catch (IllegalStateException exited) {
                // it may end before its health page has answered once
            }
            assertThat(hub.awaitExit(Duration.ofSeconds(60))).as("the hub does not run without its partners' sinks").isEqualTo(1);
        } finally {
            hub.close();
        }
        assertThat(Files.readString(hub.log()))
                .contains("Connector agency-webhook could not be installed for partner police (route deliver-police)")
                .contains("deliveryOutcomeMisspelt")
                .contains("Delivery routes could not be created, so nothing would reach these partners");
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}

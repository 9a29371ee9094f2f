package vn.quangninh.cphub.connector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which connector route files can be applied live, and why the others are refused (the reason is logged). */
class LiveConnectorFilesTest {

    @Test
    void routesWithIdsAreAppliedLive() throws Exception {
        assertThat(LiveConnectors.routeIds("""
                - route:
                    id: first
                    from: {uri: "direct:a", steps: [{log: "a"}]}
                - route:
                    id: second
                    from: {uri: "direct:b", steps: [{log: "b"}]}
                """)).containsExactly("first", "second");
        assertThat(LiveConnectors.routeIds("""
                - templatedRoute:
                    routeTemplateRef: http-intake-source
                    routeId: ngo-lantern
                    parameters: [{name: path, value: /partners/ngo-lantern/reports}, {name: read, value: direct:ngo-lantern-message}]
                """)).containsExactly("ngo-lantern");
    }

    @Test
    void aRouteWithoutAnIdOrATemplateOrNotYamlIsRefusedSayingWhy() {
        assertThatThrownBy(() -> LiveConnectors.routeIds("- route:\n    from: {uri: \"direct:a\"}\n"))
                .hasMessageContaining("a route without its id");
        assertThatThrownBy(() -> LiveConnectors.routeIds("- templatedRoute:\n    routeTemplateRef: http-intake-source\n"))
                .hasMessageContaining("a route without its routeId");
        assertThatThrownBy(() -> LiveConnectors.routeIds("- routeTemplate:\n    id: sink\n"))
                .hasMessageContaining("'routeTemplate' is applied at the next start only");
        assertThatThrownBy(() -> LiveConnectors.routeIds("- route: [ unfinished"))
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> LiveConnectors.routeIds("route: {id: x}"))
                .hasMessageContaining("not a list of routes");
    }

    /** Every shipped source connector can be changed live: its routes have ids. */
    @Test
    void everyShippedSourceConnectorCanBeChangedLive() throws Exception {
        try (Stream<Path> files = Files.walk(Path.of("connectors"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                String text = Files.readString(file);
                if (!text.contains("- routeTemplate:")) {
                    assertThat(LiveConnectors.routeIds(text)).as(file.toString()).isNotEmpty();
                }
            }
        }
    }
}

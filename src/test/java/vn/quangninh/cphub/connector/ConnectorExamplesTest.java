package vn.quangninh.cphub.connector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.jms.Message;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import vn.quangninh.cphub.Hl7Client;
import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.hotline.Sipp;
import vn.quangninh.cphub.cctv.Frigate;
import vn.quangninh.cphub.PartnerClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every example of every source connector: each {@code connectors/<name>/examples/<case>.input.*} is
 * sent to the running hub over the connector's own transport (HTTP, MLLP with HAPI's client, or SIP with sipp), and what
 * it puts on cphub.intake (cphub.intake.urgent for priority 1; or the connector's {@code examples.queue}) must equal {@code <case>.expected.json} ({@code "<set by the hub>"} stands for a value the
 * hub sets at receipt). Triage is left out of this hub, so the incident stays on the queue to be read.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ConnectorExamplesTest extends HubTestSupport {

    private static final String SET_BY_HUB = "<set by the hub>";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @DynamicPropertySource
    static void withoutTriage(DynamicPropertyRegistry registry) throws IOException {
        secondHub(registry, "cphub-examples", 8, true);
        registry.add("camel.main.routes-include-pattern", () ->
                "file:routes/errors-*.camel.yaml,file:routes/keep-invalid.camel.yaml,file:routes/call-facts.camel.yaml,"
                        + "file:routes/intake-lanes.camel.yaml,file:routes/http-intake-source.camel.yaml,"
                        + "file:connectors/**/*.camel.yaml");
    }

    /** Queues an example may leave something on: the intake lanes and every connector's {@code examples.queue}. */
    private final java.util.Set<String> outputQueues = new java.util.TreeSet<>(List.of("cphub.intake", "cphub.intake.urgent"));

    /**
     * Every connector's examples, or one connector's with {@code -Dcphub.connector=NAME} (bin/check-connector).
     */
    @TestFactory
    Stream<DynamicTest> everyExampleOfEverySourceConnector() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        String only = System.getProperty("cphub.connector", "");
        try (Stream<Path> connectors = Files.list(Path.of("connectors"))) {
            for (Path connector : connectors.sorted().toList()) {
                Path metadata = connector.resolve("connector.yaml");
                Path examples = connector.resolve("examples");
                if (!Files.isRegularFile(metadata) || !Files.isDirectory(examples)) {
                    continue;
                }
                JsonNode meta = YAML.readTree(metadata.toFile());
                if (meta.path("examples").has("queue")) {
                    outputQueues.add(meta.path("examples").path("queue").asText());
                }
                if (!only.isEmpty() && !only.equals(connector.getFileName().toString())) {
                    continue;
                }
                try (Stream<Path> inputs = Files.list(examples)) {
                    for (Path input : inputs.filter(p -> p.getFileName().toString().contains(".input.")).sorted().toList()) {
                        String label = connector.getFileName() + "/" + input.getFileName();
                        tests.add(DynamicTest.dynamicTest(label, () -> reported(label, () -> runExample(meta, input))));
                    }
                }
            }
        }
        assertThat(tests).as("connector examples found" + (only.isEmpty() ? "" : " for " + only)).isNotEmpty();
        return tests.stream();
    }

    /** One line per example for bin/check-connector: "[example] pass NAME" or "[example] FAIL NAME: why". */
    private static void reported(String label, org.junit.jupiter.api.function.Executable example) throws Throwable {
        try {
            example.execute();
            System.out.println("[example] pass " + label);
        } catch (Throwable failed) {
            System.out.println("[example] FAIL " + label + ": "
                    + String.valueOf(failed.getMessage()).strip().lines().findFirst().orElse(failed.getClass().getName()));
            throw failed;
        }
    }

    private void runExample(JsonNode connector, Path input) throws Exception {
        String name = input.getFileName().toString();
        Path expectedFile = input.resolveSibling(name.substring(0, name.indexOf(".input.")) + ".expected.json");
        JsonNode expected = JSON.readTree(expectedFile.toFile());
        drain();
        byte[] body = Files.readAllBytes(input);
        switch (connector.path("transport").asText()) {
            case "http" -> {
                // the partner the examples post as (development secret), or the example's own source.system
                String partner = connector.path("examples").has("partner") || name.endsWith(".xml") ? connector.path("examples").path("partner").asText()
                        : JSON.readTree(body).path("source").path("system").asText();
                String path = connector.path("http").path("path").asText();
                JsonNode examples = connector.path("examples");
                var response = examples.path("signed").asBoolean(false)
                        ? new PartnerClient(port).postSigned(path, PartnerClient.CRM_SIGNING_SECRET, CLOCK.instant().getEpochSecond(), body)
                        : examples.path("unauthenticated").asBoolean(false)
                        // a device posting to its own secret URL: the Content-Type follows the file's extension
                        ? new PartnerClient(port).post(path, null, null, name.endsWith(".xml") ? "application/xml" : "application/json", body)
                        : new PartnerClient(port).post(path, partner, partner + "-dev-secret",
                                connector.path("http").path("contentType").asText(), body);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(examples.path("expectedStatus").asInt(202));
            }
            case "mllp" -> {
                try (Hl7Client hl7 = new Hl7Client(hl7Port)) {
                    assertThat(hl7.send(new String(body, StandardCharsets.UTF_8)).code())
                            .isEqualTo(connector.path("examples").path("expectedAck").asText("AA"));
                }
            }
            case "sip" -> {
                Path headers = input.resolveSibling(name.substring(0, name.indexOf(".input.")) + ".sip-headers");
                String extra = Files.exists(headers) ? Files.readString(headers).strip() : "";
                assertThat(Sipp.message(sipPort, "127.0.0.1", "application/json", extra,
                        new String(body, StandardCharsets.UTF_8).strip(), 1, 200)).as("sipp: answered 200").isZero();
            }
            case "mqtt" -> {
                Frigate.publish(FRIGATE_TOPICS + "/events", body);
            }
            default -> throw new AssertionError("no driver for transport " + connector.path("transport").asText());
        }

        jms.setReceiveTimeout(10_000);
        // an incident of priority 1 is on the emergency lane (routes/intake-lanes.camel.yaml)
        String intake = expected.path("priority").asInt() == 1 ? "cphub.intake.urgent" : "cphub.intake";
        String queue = connector.path("examples").path("queue").asText(intake);
        Message onIntake = jms.receive(queue);
        assertThat(onIntake).as("the connector's output on " + queue).isNotNull();
        ObjectNode actual = (ObjectNode) JSON.readTree(onIntake.getBody(String.class));
        ObjectNode wanted = expected.deepCopy();
        wanted.fieldNames().forEachRemaining(field -> {
            if (SET_BY_HUB.equals(wanted.get(field).asText())) {
                assertThat(actual.has(field)).as(field + " is set by the hub").isTrue();
            }
        });
        if (SET_BY_HUB.equals(wanted.path("receivedAt").asText())) {
            assertThat(Instant.parse(actual.get("receivedAt").asText())).isBeforeOrEqualTo(CLOCK.instant()); // the hub's clock
        }
        wanted.properties().removeIf(e -> SET_BY_HUB.equals(e.getValue().asText()));
        actual.properties().removeIf(e -> SET_BY_HUB.equals(expected.path(e.getKey()).asText()));
        assertThat(actual).isEqualTo(wanted);
    }

    private void drain() {
        jms.setReceiveTimeout(100);
        for (String queue : outputQueues) {
            while (jms.receive(queue) != null) {
                // leftovers of an earlier example
            }
        }
    }

    @org.springframework.beans.factory.annotation.Value("${cphub.sip.port}")
    int sipPort;
}

package vn.quangninh.cphub.mapping;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub's own message bodies written as JSONata (routes/mappings/NAME.jsonata), each against its golden
 * examples (routes/mappings/examples/NAME/CASE.input.json gives CASE.expected.json), run through Camel's jsonata
 * component with the options the routes use. Numbers compare by value (3 and 3.0 are the same number).
 */
class HubMappingsTest {

    private static final Path MAPPINGS = Path.of("routes/mappings");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static CamelContext camel;
    private static ProducerTemplate producer;

    @BeforeAll
    static void start() {
        camel = new DefaultCamelContext();
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        camel.stop();
    }

    @TestFactory
    Stream<DynamicTest> everyMappingGivesItsGoldenExamples() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> inputs = Files.walk(MAPPINGS.resolve("examples"))) {
            for (Path input : inputs.filter(p -> p.toString().endsWith(".input.json")).sorted().toList()) {
                String mapping = input.getParent().getFileName().toString();
                String example = input.getFileName().toString().replace(".input.json", "");
                Path expected = input.resolveSibling(example + ".expected.json");
                tests.add(DynamicTest.dynamicTest(mapping + ": " + example, () -> {
                    assertThat(expected).as("the example's expected output").exists();
                    JsonNode actual = JSON.readTree(map(mapping, Files.readString(input)));
                    JsonNode wanted = JSON.readTree(expected.toFile());
                    assertThat(wanted.equals(BY_VALUE, actual)).as("%s gives%n%s%nexpected%n%s", input, actual.toPrettyString(),
                            wanted.toPrettyString()).isTrue();
                }));
            }
        }
        assertThat(tests).as("golden examples under routes/mappings/examples").isNotEmpty();
        return tests.stream();
    }

    @Test
    void everyMappingHasExamples() throws IOException {
        try (Stream<Path> files = Files.list(MAPPINGS)) {
            for (Path mapping : files.filter(p -> p.toString().endsWith(".jsonata")).toList()) {
                String name = mapping.getFileName().toString().replace(".jsonata", "");
                Path examples = MAPPINGS.resolve("examples").resolve(name);
                assertThat(examples).as("golden examples of " + mapping).isDirectory();
                try (Stream<Path> cases = Files.list(examples)) {
                    assertThat(cases.filter(p -> p.toString().endsWith(".input.json")).count()).as("examples of " + mapping).isPositive();
                }
            }
        }
    }

    private static String map(String mapping, String input) throws IOException {
        JsonNode body = JSON.readTree(input);
        Object out = producer.requestBody("jsonata:file:" + MAPPINGS.resolve(mapping + ".jsonata").toAbsolutePath()
                + "?inputType=Jackson&outputType=JsonString", body);
        return camel.getTypeConverter().convertTo(String.class, out);
    }

    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText()));
        }
        return a.equals(b) ? 0 : 1;
    };
}

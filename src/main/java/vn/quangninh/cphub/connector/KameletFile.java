package vn.quangninh.cphub.connector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A sink connector's one file, {@code connectors/<name>/<name>.kamelet.yaml}, in the shape of apache/camel-kamelets:
 * {@code metadata.name} (the route template's id, which is the folder's name), {@code spec.definition} (the JSON
 * Schema of its parameters) and {@code spec.template} (the route, which Camel's {@code kamelet.yaml} routes loader
 * makes a route template).
 */
record KameletFile(Path file, String name, JsonNode definition) {

    static final String SUFFIX = ".kamelet.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The connector file of the sink connector {@code connector} under {@code connectorsDir}. */
    static Path of(Path connectorsDir, String connector) {
        return connectorsDir.resolve(connector).resolve(connector + SUFFIX);
    }

    /**
     * Reads and checks the file.
     *
     * @throws IllegalStateException naming the file and what is wrong with it (never quoting its text)
     */
    static KameletFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " does not exist");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
        return parse(file, text);
    }

    /** Checks a Kamelet file's text: {@code kind: Kamelet}, a name, a definition and a template. */
    static KameletFile parse(Path file, String text) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (RuntimeException e) {
            throw new IllegalStateException(file + " is not YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(document instanceof Map<?, ?> kamelet) || !"Kamelet".equals(kamelet.get("kind"))) {
            throw new IllegalStateException(file + ": kind must be Kamelet");
        }
        Object name = kamelet.get("metadata") instanceof Map<?, ?> metadata ? metadata.get("name") : null;
        if (!(name instanceof String s) || s.isBlank()) {
            throw new IllegalStateException(file + ": metadata.name is missing");
        }
        String folder = file.getParent() == null ? null : String.valueOf(file.getParent().getFileName());
        if (!s.equals(folder) || !file.getFileName().toString().equals(s + SUFFIX)) {
            throw new IllegalStateException(file + ": metadata.name is '" + s + "', but the file must be "
                    + "connectors/<name>/<name>" + SUFFIX + " with the same name");
        }
        Map<?, ?> spec = kamelet.get("spec") instanceof Map<?, ?> m ? m : Map.of();
        if (!(spec.get("definition") instanceof Map<?, ?> definition) || !(definition.get("properties") instanceof Map<?, ?>)) {
            throw new IllegalStateException(file + ": spec.definition.properties is missing (the JSON Schema of the parameters)");
        }
        if (!(spec.get("template") instanceof Map<?, ?>)) {
            throw new IllegalStateException(file + ": spec.template is missing (the route)");
        }
        return new KameletFile(file, s, JSON.valueToTree(definition));
    }

    /** Whether a connector file is a Kamelet file, by its name (<name>.kamelet.yaml), whatever its text. */
    static boolean isKamelet(Path file) {
        return file.getFileName().toString().endsWith(SUFFIX);
    }
}

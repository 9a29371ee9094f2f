package vn.quangninh.cphub.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubProperties;

/**
 * Reads the YAML files operators edit under {@code config/}. {@code ${NAME:default}} placeholders are
 * resolved from the environment first, so secrets and URLs can stay out of the files.
 */
@Component
public class OperatorFiles {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .findAndRegisterModules();

    private final Environment environment;
    private final Path configDir;

    public OperatorFiles(Environment environment, HubProperties hub) {
        this.environment = environment;
        this.configDir = hub.configDir();
    }

    public Path resolve(String fileName) {
        return configDir.resolve(fileName);
    }

    /** Reads {@code config/<fileName>} into {@code type}, with a message that names the file when it is wrong. */
    public <T> T read(Path file, Class<T> type) {
        String text = text(file);
        try {
            return YAML.readValue(text, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidOperatorFileException(file, e);
        }
    }

    /** The text of an operator's file, its {@code ${NAME:default}} placeholders resolved. */
    public String text(Path file) {
        try {
            return environment.resolveRequiredPlaceholders(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidOperatorFileException(file, e);
        }
    }

    /**
     * Why a file does not read, without its text: a YAML parser's message quotes the line it stopped at, and by
     * then the file's {@code ${…}} placeholders hold the secrets they were resolved to (partners.yaml, read again
     * on every change by LivePartners). The place (line, column) and the problem are enough to find it.
     */
    static String describe(Exception cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException yaml) {
                org.yaml.snakeyaml.error.Mark at = yaml.getProblemMark();
                return "not valid YAML" + (at == null ? "" : " at line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1))
                        + ": " + yaml.getProblem();
            }
        }
        if (cause instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
            com.fasterxml.jackson.core.JsonLocation at = json.getLocation();
            return json.getOriginalMessage().lines().findFirst().orElse("")
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        }
        return cause.getMessage();
    }

    /** An operator's file that is missing or does not say what the hub needs. */
    public static class InvalidOperatorFileException extends IllegalStateException {
        public InvalidOperatorFileException(Path file, Exception cause) {
            super("Configuration file " + file.toAbsolutePath().normalize() + " is not valid: " + describe(cause), cause);
        }

        public InvalidOperatorFileException(Path file, String reason) {
            super("Configuration file " + file.toAbsolutePath().normalize() + " is not valid: " + reason);
        }
    }
}

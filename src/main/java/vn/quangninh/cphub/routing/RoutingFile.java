package vn.quangninh.cphub.routing;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import vn.quangninh.cphub.config.OperatorFiles.InvalidOperatorFileException;
import vn.quangninh.cphub.partner.PartnerRegistry;
import vn.quangninh.cphub.site.SiteRegistry;

/**
 * Reads and checks the text of {@code config/routing.yaml} into a {@link RuleSet}. Every error names the
 * line it is on, so an operator editing the file sees at once what to fix.
 */
final class RoutingFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .findAndRegisterModules();

    record Content(Map<String, RedactionProfile> profiles, List<RuleSet.Rule> rules) {
    }

    private final Path file;
    private final PartnerRegistry partners;
    private final Set<String> clockNames;

    RoutingFile(Path file, PartnerRegistry partners, Set<String> clockNames) {
        this.file = file;
        this.partners = partners;
        this.clockNames = clockNames;
    }

    RuleSet parse(String text) {
        Content content;
        try {
            content = YAML.readValue(text, Content.class);
        } catch (JsonMappingException e) {
            // the path locates the wrong field precisely; the parser's location is where it stopped reading
            int line = new Lines(text).of(e.getPath());
            int at = line > 0 ? line : e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new InvalidOperatorFileException(file, "line " + at + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            String line = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ": ";
            throw new InvalidOperatorFileException(file, line + e.getOriginalMessage());
        }
        if (content == null || content.rules() == null || content.rules().isEmpty()) {
            throw new InvalidOperatorFileException(file, "it has no rules");
        }
        Map<String, RedactionProfile> profiles = content.profiles() == null ? Map.of() : content.profiles();
        Lines lines = new Lines(text);
        for (int i = 0; i < content.rules().size(); i++) {
            check(content.rules().get(i), i, profiles, lines);
        }
        return new RuleSet(Map.copyOf(profiles), List.copyOf(content.rules()), sha256(text), Instant.now());
    }

    private void check(RuleSet.Rule rule, int i, Map<String, RedactionProfile> profiles, Lines lines) {
        String where = "line " + lines.ofRule(i) + ": rules[" + i + "]" + (rule.name() == null ? "" : " (" + rule.name() + ")");
        if (rule.name() == null || rule.name().isBlank()) {
            throw new InvalidOperatorFileException(file, where + ".name is missing");
        }
        if (rule.send() == null || rule.send().isEmpty()) {
            throw new InvalidOperatorFileException(file, where + ".send names no recipient");
        }
        for (int j = 0; j < rule.send().size(); j++) {
            RuleSet.Recipient r = rule.send().get(j);
            String at = "line " + lines.ofRecipient(i, j) + ": rules[" + i + "] (" + rule.name() + ")";
            if (!partners.exists(r.partner())) {
                throw new InvalidOperatorFileException(file,
                        at + " sends to partner '" + r.partner() + "', which config/partners.yaml does not list");
            }
            if (partners.find(r.partner()).orElseThrow().sink() == null) {
                throw new InvalidOperatorFileException(file,
                        at + " sends to partner '" + r.partner() + "', which has no sink in config/partners.yaml");
            }
            if (!profiles.containsKey(r.profile())) {
                throw new InvalidOperatorFileException(file,
                        at + " uses profile '" + r.profile() + "', which profiles: does not define");
            }
            if (r.legalBasis() == null && rule.legalBasis() == null) {
                throw new InvalidOperatorFileException(file, at + " gives no legalBasis for partner '" + r.partner()
                        + "' (consent, emergency, crime_prevention or statutory_duty)");
            }
            for (String clock : r.clocks() == null ? List.<String>of() : r.clocks()) {
                if (!clockNames.contains(clock)) {
                    throw new InvalidOperatorFileException(file, at + " starts clock '" + clock
                            + "', which config/clocks.yaml does not define (known: " + String.join(", ", clockNames.stream().sorted().toList()) + ")");
                }
            }
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Line numbers of the rules and their recipients, from SnakeYAML's node marks. */
    private static final class Lines {
        private final Node root;
        private final SequenceNode rules;

        Lines(String text) {
            this.root = compose(text);
            this.rules = root instanceof MappingNode map && child(map, "rules") instanceof SequenceNode list ? list : null;
        }

        int ofRule(int i) {
            return rules == null || i >= rules.getValue().size() ? 0 : rules.getValue().get(i).getStartMark().getLine() + 1;
        }

        int ofRecipient(int i, int j) {
            if (rules == null || i >= rules.getValue().size() || !(rules.getValue().get(i) instanceof MappingNode rule)) {
                return ofRule(i);
            }
            Node send = child(rule, "send");
            if (send instanceof SequenceNode list && j < list.getValue().size()) {
                return list.getValue().get(j).getStartMark().getLine() + 1;
            }
            return ofRule(i);
        }

        private static Node compose(String text) {
            try {
                return new Yaml(new LoaderOptions()).compose(new StringReader(text));
            } catch (RuntimeException notYaml) {
                return null;
            }
        }

        /** The line of the node at a Jackson path (field names and indexes); 0 when it cannot be found. */
        int of(List<JsonMappingException.Reference> path) {
            Node node = root;
            int line = 0;
            for (JsonMappingException.Reference step : path) {
                if (step.getFieldName() != null && node instanceof MappingNode map) {
                    NodeTuple tuple = map.getValue().stream()
                            .filter(t -> t.getKeyNode() instanceof ScalarNode k && step.getFieldName().equals(k.getValue()))
                            .findFirst().orElse(null);
                    if (tuple == null) {
                        return line;
                    }
                    line = tuple.getKeyNode().getStartMark().getLine() + 1;
                    node = tuple.getValueNode();
                } else if (step.getIndex() >= 0 && node instanceof SequenceNode list && step.getIndex() < list.getValue().size()) {
                    node = list.getValue().get(step.getIndex());
                    line = node.getStartMark().getLine() + 1;
                } else {
                    return line;
                }
            }
            return line;
        }

        private static Node child(MappingNode map, String key) {
            for (NodeTuple tuple : map.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode k && key.equals(k.getValue())) {
                    Node value = tuple.getValueNode();
                    return value instanceof SequenceNode || value instanceof MappingNode ? value : null;
                }
            }
            return null;
        }
    }
}

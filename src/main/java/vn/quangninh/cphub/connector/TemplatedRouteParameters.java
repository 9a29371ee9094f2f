package vn.quangninh.cphub.connector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A connector's {@code templatedRoute}s against the templates they name. Camel takes a parameter its template does
 * not declare without a word and uses the template's default instead: a source connector with {@code reed:} for
 * {@code read:} would take canonical incidents where it should read its partner's JSON, a {@code signin:} would sign
 * its partner in with HTTP Basic instead of its signature. Each such parameter, and a template the hub does not
 * have, is a problem naming the route and the parameter ({@link LiveConnectors} refuses the file, at start-up and
 * on a change).
 */
final class TemplatedRouteParameters {

    private TemplatedRouteParameters() {
    }

    /**
     * @param declared the parameter names a route template declares, by its id; null for a template the hub does
     *                 not have
     * @return one line per problem; empty when every templated route of the file names only declared parameters
     */
    static List<String> problems(String text, Function<String, Set<String>> declared) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (RuntimeException notYaml) {
            return List.of(); // said by the file's other checks
        }
        List<String> problems = new ArrayList<>();
        if (!(document instanceof List<?> items)) {
            return problems;
        }
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> entry) || !(entry.get("templatedRoute") instanceof Map<?, ?> route)) {
                continue;
            }
            Object routeId = route.get("routeId");
            Object templateId = route.get("routeTemplateRef");
            Set<String> names = templateId instanceof String id ? declared.apply(id) : null;
            if (names == null) {
                problems.add("templated route " + routeId + ": no route template '" + templateId + "'");
                continue;
            }
            if (!(route.get("parameters") instanceof List<?> parameters)) {
                continue;
            }
            for (Object parameter : parameters) {
                Object name = parameter instanceof Map<?, ?> p ? p.get("name") : null;
                if (!(name instanceof String n) || !names.contains(n)) {
                    problems.add("templated route " + routeId + ": parameter '" + name + "' is not one of route template "
                            + templateId + "'s " + new TreeSet<>(names));
                }
            }
        }
        return problems;
    }
}

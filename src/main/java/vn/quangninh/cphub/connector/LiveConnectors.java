package vn.quangninh.cphub.connector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import vn.quangninh.cphub.HubProperties;

/**
 * Connector routes changed on a running hub: every few seconds ({@code cphub.connectors.reload-interval}, 0 = off)
 * the route files {@code connectors/<name>/*.camel.yaml} and sink connectors' {@code <name>.kamelet.yaml} are
 * compared with what runs, and
 * <ul>
 *   <li>a new file's routes are added and started (a source connector's path is a partner's at once:
 *       {@code web.PartnerHttpPaths});</li>
 *   <li>a changed file's routes replace the running ones: those stop (gracefully) and go, the new ones start;</li>
 *   <li>a removed file's (or folder's) routes are stopped — gracefully, in-flight exchanges finish — and removed.</li>
 * </ul>
 * A file that cannot be read, has a route without an id, or whose routes fail to start is refused with an error
 * naming the file; the version that ran before is put back and stays. A new Kamelet or file of route templates (a
 * new sink connector) adds its templates, for partners.yaml ({@link LivePartners}); a changed one replaces them and
 * the partners' delivery routes are made again from it. Route configurations take effect at the next start, and
 * the log says so. Camel's own route reloading is not used: in Camel 4.17 it neither removes the routes of a deleted file
 * nor watches a new connector folder.
 */
@Component
public class LiveConnectors implements CamelContextConfiguration, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(LiveConnectors.class);
    private static final String SUFFIX = ".camel.yaml";

    /** A route file as it runs: its text and the ids of its routes. */
    private record Running(String text, List<String> routeIds) {
    }

    private final Path connectorsDir;
    private final Duration interval;
    private final Map<Path, Running> running = new HashMap<>();
    /** Files refused or not applied live, by the text that was refused: logged once per version. */
    private final Map<Path, String> notApplied = new HashMap<>();
    private final LivePartners partners;
    private CamelContext camel;
    private ScheduledExecutorService timer;

    public LiveConnectors(HubProperties hub, LivePartners partners,
                          @Value("${cphub.connectors.reload-interval:2s}") Duration interval) {
        this.partners = partners;
        this.connectorsDir = hub.connectorsDir();
        this.interval = interval;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // the connectors' routes are loaded by Camel at start-up (camel.main.routes-include-pattern)
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        this.camel = camelContext;
        // what Camel loaded at start-up (camel.main.routes-include-pattern) is the running version
        routeFiles().forEach((file, text) -> {
            try {
                List<String> ids = routeIds(text);
                List<String> problems = TemplatedRouteParameters.problems(text, this::declaredParameters);
                if (!problems.isEmpty()) {
                    // refused as a change would be: the hub serves every other connector, a fixed file is applied live
                    removeRoutes(ids);
                    running.put(file, new Running(text, List.of()));
                    refuse(file, text, String.join("; ", problems), null);
                    return;
                }
                running.put(file, new Running(text, ids));
            } catch (RefusedFile e) {
                running.put(file, new Running(text, List.of()));
                if (!KameletFile.isKamelet(file) && !text.contains("- routeTemplate:") && !text.contains("- routeConfiguration:")) {
                    LOG.warn("Connector file {} runs, but cannot be changed live: {}", name(file), e.getMessage());
                }
            }
        });
        if (interval.isZero() || interval.isNegative()) {
            LOG.info("Connector files are read at start-up only (cphub.connectors.reload-interval is 0)");
            return;
        }
        timer = FileChecks.every(interval, "cphub-live-connectors", "the connector files", this::scan);
        LOG.info("Connector routes under {} are applied live, checked every {}", connectorsDir, interval);
    }

    @Override
    public void destroy() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Applies what changed under connectors/ since the last look. */
    synchronized void scan() {
        if (camel == null || !camel.getStatus().isStarted()) {
            return;
        }
        Map<Path, String> now = routeFiles();
        notApplied.keySet().retainAll(now.keySet());
        for (Path gone : new ArrayList<>(running.keySet())) {
            if (!now.containsKey(gone)) {
                Running was = running.remove(gone);
                removeRoutes(was.routeIds());
                notApplied.remove(gone);
                LOG.info("Connector file {} removed: routes {} stopped and removed", name(gone), was.routeIds());
            }
        }
        now.forEach((file, text) -> {
            Running was = running.get(file);
            if ((was == null || !was.text().equals(text)) && !text.equals(notApplied.get(file))) {
                apply(file, text, was);
            }
        });
    }

    private void apply(Path file, String text, Running was) {
        if (KameletFile.isKamelet(file)) {
            try {
                KameletFile.parse(file, text);
            } catch (IllegalStateException e) {
                refuse(file, text, e.getMessage(), was);
                return;
            }
        }
        List<String> templates = newTemplateIds(text);
        if (was == null && !templates.isEmpty()) {
            addTemplates(file, text, templates);
            return;
        }
        if (was != null && !templates.isEmpty() && templates.equals(newTemplateIds(was.text()))) {
            replaceTemplates(file, text, was, templates);
            return;
        }
        List<String> ids;
        try {
            ids = routeIds(text);
        } catch (RefusedFile e) {
            refuse(file, text, e.getMessage(), was);
            return;
        }
        List<String> problems = TemplatedRouteParameters.problems(text, this::declaredParameters);
        if (!problems.isEmpty()) {
            refuse(file, text, String.join("; ", problems), was);
            return;
        }
        List<String> before = was == null ? List.of() : was.routeIds();
        // a route id another file's route has (a copied connector whose id was not changed) is refused before
        // anything is touched: the route that runs under it is not this file's to stop
        for (String id : ids) {
            if (camel.getRoute(id) != null && !before.contains(id)) {
                refuse(file, text, "route id " + id + " is taken by a route of another file", was);
                return;
            }
        }
        try {
            // the running version's routes go, the new version's come (Camel's updateRoutes skips templated routes)
            removeRoutes(before);
            load(file, text, ids);
            running.put(file, new Running(text, ids));
            notApplied.remove(file);
            LOG.info("Connector file {} {}: routes {} running", name(file), was == null ? "added" : "changed", ids);
        } catch (Exception e) {
            // what of the new version got in goes; the version that ran before comes back
            removeRoutes(ids);
            if (was != null) {
                try {
                    load(file, was.text(), was.routeIds());
                } catch (Exception again) {
                    LOG.error("Connector file {}: the version that ran before could not be put back either: {}",
                            name(file), rootMessage(again));
                }
            }
            refuse(file, text, rootMessage(e), was);
        }
    }

    /**
     * A new sink connector's file of route templates: its templates are added, for partners.yaml to use
     * ({@link LivePartners}).
     */
    private void addTemplates(Path file, String text, List<String> templates) {
        ModelCamelContext model = (ModelCamelContext) camel;
        for (String id : templates) {
            if (model.getRouteTemplateDefinition(id) != null) {
                refuse(file, text, "route template " + id + " is one the hub has already (a copied connector whose"
                        + " template id was not changed?)", null);
                return;
            }
        }
        try {
            loadTemplates(file, text);
        } catch (RuntimeException e) {
            try {
                removeTemplates(templates);
            } catch (RuntimeException notAdded) {
                // nothing of it got in
            }
            refuse(file, text, rootMessage(e), null);
            return;
        }
        templatesRun(file, text);
        LOG.info("Connector file {} added: route templates {} can be used by partners in partners.yaml", name(file), templates);
    }

    /**
     * A sink connector's changed file of route templates (the same template ids): the templates are replaced and
     * the partners' delivery routes made from them are made again ({@link LivePartners#remakeSinksOf}); a version
     * whose templates or routes fail is refused and the one before is put back.
     */
    private void replaceTemplates(Path file, String text, Running was, List<String> templates) {
        try {
            partners.remakeSinksOf(java.util.Set.copyOf(templates), () -> {
                removeTemplates(templates);
                loadTemplates(file, text);
            }, () -> {
                removeTemplates(templates);
                loadTemplates(file, was.text());
            });
        } catch (RuntimeException e) {
            refuse(file, text, rootMessage(e), was);
            return;
        }
        templatesRun(file, text);
        LOG.info("Connector file {} changed: route templates {} replaced", name(file), templates);
    }

    /** A file of route templates as it now runs (templates make no routes of their own). */
    private void templatesRun(Path file, String text) {
        running.put(file, new Running(text, List.of()));
        notApplied.remove(file);
    }

    private void removeTemplates(List<String> templates) {
        for (String id : templates) {
            try {
                ((ModelCamelContext) camel).removeRouteTemplateDefinitions(id);
            } catch (Exception e) {
                throw new IllegalStateException("route template " + id + " could not be removed: " + rootMessage(e), e);
            }
        }
    }

    private void loadTemplates(Path file, String text) {
        try {
            PluginHelper.getRoutesLoader(camel).loadRoutes(resource(file, text));
        } catch (Exception e) {
            throw new IllegalStateException(rootMessage(e), e);
        }
    }

    /**
     * The ids of a file's route templates: a Kamelet's name, or the ids of a file that holds route templates only
     * (each with an id); else none.
     */
    static List<String> newTemplateIds(String text) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (RuntimeException e) {
            return List.of();
        }
        if (document instanceof Map<?, ?> kamelet && "Kamelet".equals(kamelet.get("kind"))) {
            return kamelet.get("metadata") instanceof Map<?, ?> metadata && metadata.get("name") instanceof String name
                    ? List.of(name) : List.of();
        }
        if (!(document instanceof List<?> items) || items.isEmpty()) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> entry) || entry.size() != 1 || !entry.containsKey("routeTemplate")
                    || !(entry.get("routeTemplate") instanceof Map<?, ?> template)
                    || !(template.get("id") instanceof String id) || id.isBlank()) {
                return List.of();
            }
            ids.add(id);
        }
        return ids;
    }

    /** Adds and starts a file's routes; fails unless every one of them is there afterwards. */
    private void load(Path file, String text, List<String> ids) throws Exception {
        PluginHelper.getRoutesLoader(camel).loadRoutes(resource(file, text));
        for (String id : ids) {
            if (camel.getRoute(id) == null) {
                throw new IllegalStateException("route " + id + " was not created");
            }
        }
    }

    /** The parameter names route template {@code id} declares; null when the hub has no such template. */
    private Set<String> declaredParameters(String id) {
        RouteTemplateDefinition template = ((ModelCamelContext) camel).getRouteTemplateDefinition(id);
        if (template == null) {
            return null;
        }
        Set<String> names = new HashSet<>();
        template.getTemplateParameters().forEach(p -> names.add(p.getName()));
        return names;
    }

    private void refuse(Path file, String text, String why, Running was) {
        notApplied.put(file, text);
        LOG.error("Connector file {} refused: {}. {}", name(file), why,
                was == null ? "Nothing of it runs." : "The version that ran before stays.");
    }

    private void removeRoutes(List<String> routeIds) {
        for (String id : routeIds) {
            if (camel.getRoute(id) == null) {
                continue;
            }
            try {
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
            } catch (Exception e) {
                LOG.error("Route {} could not be stopped and removed: {}", id, rootMessage(e));
            }
        }
    }

    /**
     * The ids of the routes of a connector route file. Refused: a file that is not YAML, a route without an id
     * (it could not be replaced or removed later), and route templates or configurations, which are not applied
     * live.
     */
    static List<String> routeIds(String text) throws RefusedFile {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (RuntimeException e) {
            throw new RefusedFile("not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (!(document instanceof List<?> items)) {
            throw new RefusedFile("not a list of routes");
        }
        List<String> ids = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> entry) || entry.size() != 1) {
                throw new RefusedFile("each item must be one '- route:' or '- templatedRoute:'");
            }
            Object kind = entry.keySet().iterator().next();
            // a route has an id; a route made from a template (routes/http-intake-source) a routeId
            String idKey = "route".equals(kind) ? "id" : "templatedRoute".equals(kind) ? "routeId" : null;
            if (idKey == null) {
                throw new RefusedFile("'" + kind + "' is applied at the next start only (live: routes and templated routes)");
            }
            Object id = entry.get(kind) instanceof Map<?, ?> route ? route.get(idKey) : null;
            if (!(id instanceof String s) || s.isBlank()) {
                throw new RefusedFile("a route without its " + idKey + " (routes applied live need one)");
            }
            ids.add(s);
        }
        return ids;
    }

    private Map<Path, String> routeFiles() {
        Map<Path, String> files = new LinkedHashMap<>();
        if (!Files.isDirectory(connectorsDir)) {
            return files;
        }
        try (Stream<Path> folders = Files.list(connectorsDir)) {
            // a hidden folder is one being written (bin/new-connector moves it in when complete)
            for (Path folder : folders.filter(Files::isDirectory)
                    .filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList()) {
                try (Stream<Path> inFolder = Files.list(folder)) {
                    for (Path file : inFolder.filter(p -> p.getFileName().toString().endsWith(SUFFIX)
                            || KameletFile.isKamelet(p)).sorted().toList()) {
                        files.put(file.toAbsolutePath().normalize(), Files.readString(file, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    // a folder being copied or removed: looked at again next time
                    LOG.debug("Could not read {} yet: {}", folder, e.toString());
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not list {}: {}", connectorsDir, e.toString());
        }
        return files;
    }

    private Resource resource(Path file, String text) {
        return ResourceHelper.fromString(file.toUri().toString(), text);
    }

    private String name(Path file) {
        return connectorsDir.toAbsolutePath().normalize().relativize(file).toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = FileChecks.rootCause(e);
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }

    /** Why a connector route file is not applied. */
    static final class RefusedFile extends Exception {
        RefusedFile(String message) {
            super(message);
        }
    }
}

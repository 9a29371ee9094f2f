package vn.quangninh.cphub.web;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.PlatformHttpListener;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which HTTP paths belong to partners: exactly the paths the connectors' routes serve with {@code platform-http}
 * (a new source connector's path included, with no Java), and the hub's public documents ({@code /schema/**},
 * {@code /api/v1/*.yaml}).
 * Every other path is the console's, behind its login. Camel tells this class each path as a route starts or
 * stops ({@link PlatformHttpListener}).
 *
 * <p>The console's own paths ({@link #CONSOLE_PATHS}) are never a partner's, even if a route serves one: such a path
 * is logged as an error naming it and stays behind the console's login, so that no connector can move a console
 * path out from behind it.
 * While Camel is not running (starting or stopping) every other path is treated as a partner's, so that a partner
 * gets a 503 to retry ({@link NotServingYet}) rather than the console's 401.
 */
@Component
public class PartnerHttpPaths implements CamelContextConfiguration, PlatformHttpListener {

    private static final Logger LOG = LoggerFactory.getLogger(PartnerHttpPaths.class);

    /** Paths of the console (Hawtio, Jolokia, actuator, the operations API, sign-in, the evidence viewer). */
    public static final List<String> CONSOLE_PATHS = List.of("/hawtio", "/actuator", "/jolokia", "/api/ops", "/login",
            "/logout", "/error", "/console", "/cphub-console");
    /** The hub's public documents (PublicDocuments): the schemas and the partner API's OpenAPI. */
    private static final List<PathPattern> DOCUMENTS = List.of(PathPatternParser.defaultInstance.parse("/schema/**"),
            PathPatternParser.defaultInstance.parse("/api/v1/*.yaml"));

    private final PathPatternParser parser = PathPatternParser.defaultInstance;
    private final Map<String, PathPattern> served = new ConcurrentHashMap<>();
    private volatile CamelContext camel;

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        camel = camelContext;
        PlatformHttpComponent component = camelContext.getComponent("platform-http", PlatformHttpComponent.class);
        component.addPlatformHttpListener(this);
        component.getHttpEndpoints().forEach(this::registerHttpEndpoint);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        LOG.info("Partner HTTP paths (served by the connectors' routes): {}", served.keySet().stream().sorted().toList());
    }

    @Override
    public void registerHttpEndpoint(HttpEndpointModel endpoint) {
        String path = endpoint.getUri();
        if (isConsolePath(path)) {
            // Camel only logs a listener's exception, so say it here; the path stays the console's
            LOG.error("Route {} serves {}, a path of the console ({}): it stays behind the console's login and no "
                    + "partner can reach it; give the connector a path outside them", routeOf(endpoint), path,
                    String.join(", ", CONSOLE_PATHS));
            return;
        }
        // a route that takes every path below its own (matchOnUriPrefix) serves them all
        boolean prefix = endpoint.getConsumer() != null
                && endpoint.getConsumer().getEndpoint() instanceof PlatformHttpEndpoint http && http.isMatchOnUriPrefix();
        served.put(path, parser.parse(prefix ? path.replaceAll("/+$", "") + "/**" : path));
    }

    @Override
    public void unregisterHttpEndpoint(HttpEndpointModel endpoint) {
        served.remove(endpoint.getUri());
    }

    /** True when the request is for a partner: a path a connector serves, or any non-console path while Camel is not running. */
    public boolean isPartnerRequest(HttpServletRequest request) {
        String path = pathOf(request);
        if (isConsolePath(path)) {
            return false;
        }
        PathContainer container = PathContainer.parsePath(path);
        if (isDocument(container) || !serving()) {
            return true;
        }
        for (PathPattern pattern : served.values()) {
            if (pattern.matches(container)) {
                return true;
            }
        }
        return false;
    }

    /** True while Camel runs, so the connectors' routes answer their paths. */
    public boolean serving() {
        CamelContext context = camel;
        return context != null && context.getStatus().isStarted();
    }

    private static String routeOf(HttpEndpointModel endpoint) {
        return endpoint.getConsumer() == null ? "?" : endpoint.getConsumer().getEndpoint().getEndpointUri();
    }

    static boolean isDocument(HttpServletRequest request) {
        return isDocument(PathContainer.parsePath(pathOf(request)));
    }

    private static boolean isDocument(PathContainer path) {
        return DOCUMENTS.stream().anyMatch(pattern -> pattern.matches(path));
    }

    static boolean isConsolePath(String path) {
        for (String prefix : CONSOLE_PATHS) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    static String pathOf(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }
}

package vn.quangninh.cphub.security;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import vn.quangninh.cphub.web.ReplayedBodyRequest;

/**
 * What each console role may ask Jolokia. Hawtio's own roles restrict nothing, so the hub decides here:
 * <ul>
 *   <li>viewer: read, list, search, version — no exec, no write (browsing a queue is an exec, so a viewer
 *       never sees a message body);</li>
 *   <li>operator: also exec of the operations listed in {@code cphub.security.operator-operations} as
 *       {@code domain/operation}: message repair on the broker (retry, move, browse) and the read-only
 *       dumps Hawtio draws Camel route diagrams from;</li>
 *   <li>admin: everything.</li>
 * </ul>
 * Exec and write are accepted only as POST, which Spring Security protects against CSRF. Exec on
 * Hawtio's own MBeans (its UI bookkeeping) is open to every role.
 */
@Component
public class JolokiaAccessFilter extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(JolokiaAccessFilter.class);
    /** Jolokia itself, and Hawtio's forward to it. */
    private static final List<String> PREFIXES = List.of("/actuator/jolokia", "/actuator/hawtio/jolokia");
    private static final Set<String> READ_TYPES = Set.of("read", "list", "search", "version");
    private static final int MAX_BODY = 256 * 1024;

    private final ObjectMapper json = new ObjectMapper();
    /** "domain/operation" pairs an operator may execute. */
    private final Set<String> operatorOperations;

    public JolokiaAccessFilter(@Value("${cphub.security.operator-operations}") List<String> operatorOperations) {
        this.operatorOperations = Set.copyOf(operatorOperations);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return prefixOf(request) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        if (hasRole(user, "admin")) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletRequest toPass = request;
        List<JsonNode> asks = new ArrayList<>();
        if ("POST".equalsIgnoreCase(request.getMethod())) {
            byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                SecurityConfiguration.refuse(response, 413, "Jolokia request too large");
                return;
            }
            JsonNode parsed;
            try {
                parsed = json.readTree(body);
            } catch (IOException e) {
                SecurityConfiguration.refuse(response, 400, "Jolokia request is not JSON");
                return;
            }
            if (parsed != null && parsed.isArray()) {
                parsed.forEach(asks::add);
            } else if (parsed != null) {
                asks.add(parsed);
            }
            toPass = new ReplayedBodyRequest(request, body, StandardCharsets.UTF_8);
        } else {
            asks.add(fromGetPath(request));
        }
        for (JsonNode ask : asks) {
            String refusal = refusal(user, ask, "POST".equalsIgnoreCase(request.getMethod()));
            if (refusal != null) {
                LOG.warn("Jolokia {} refused for console user {}: {}", ask.path("type").asText("?"),
                        user == null ? "anonymous" : user.getName(), refusal);
                SecurityConfiguration.refuse(response, 403, refusal);
                return;
            }
        }
        chain.doFilter(toPass, response);
    }

    /** @return why this request is refused, or null when the user may make it. */
    private String refusal(Authentication user, JsonNode ask, boolean post) {
        String type = ask.path("type").asText("").toLowerCase();
        if (READ_TYPES.contains(type)) {
            return null;
        }
        if (!post) {
            return "Jolokia " + type + " must be sent as POST";
        }
        if (!"exec".equals(type)) {
            return "Jolokia " + type + " is for admins only";
        }
        String mbean = ask.path("mbean").asText("");
        String domain = mbean.contains(":") ? mbean.substring(0, mbean.indexOf(':')) : mbean;
        String operation = ask.path("operation").asText("");
        if (operation.contains("(")) {
            operation = operation.substring(0, operation.indexOf('('));
        }
        if ("hawtio".equals(domain)) {
            return null;
        }
        if (hasRole(user, "operator") && operatorOperations.contains(domain + "/" + operation)) {
            return null;
        }
        return "operation " + operation + " on " + domain + " is not allowed for your role";
    }

    /** GET /actuator/jolokia/exec/... or ?p=/exec/...: the first path segment is the type. */
    private JsonNode fromGetPath(HttpServletRequest request) {
        String path = request.getParameter("p");
        if (path == null) {
            path = pathWithinContext(request).substring(prefixOf(request).length());
        }
        path = URLDecoder.decode(path, StandardCharsets.UTF_8);
        String[] segments = path.replaceFirst("^/+", "").split("/");
        String type = segments.length == 0 || segments[0].isEmpty() ? "version" : segments[0];
        return json.createObjectNode().put("type", type);
    }

    private static String pathWithinContext(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    private static String prefixOf(HttpServletRequest request) {
        String path = pathWithinContext(request);
        return PREFIXES.stream().filter(path::startsWith).findFirst().orElse(null);
    }

    private static boolean hasRole(Authentication user, String role) {
        if (user == null) {
            return false;
        }
        for (GrantedAuthority a : user.getAuthorities()) {
            if (("ROLE_" + role).equals(a.getAuthority())) {
                return true;
            }
        }
        return false;
    }
}

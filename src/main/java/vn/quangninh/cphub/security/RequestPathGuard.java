package vn.quangninh.cphub.security;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with a 400 that says why and one log line, a request whose path is not plain: dot segments
 * ({@code /api/../actuator}), path parameters ({@code ;x=y}), empty segments, backslashes, encoded dots,
 * slashes or backslashes, control characters. Tomcat would normalise some of these and hand the rest to a
 * servlet that fails on them with a 500 and a 50-line stack trace per request (a way to flood the log);
 * no path the hub serves needs any of them. Runs before everything else.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestPathGuard extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(RequestPathGuard.class);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String why = refusal(request.getRequestURI());
        if (why != null) {
            LOG.info("Request path refused with 400 from {}: {}", request.getRemoteAddr(), why);
            response.setStatus(400);
            response.setContentType("application/json");
            response.getWriter().write("{\"status\":400,\"error\":\"bad_path\",\"message\":\"The request path is not accepted: "
                    + why + "\"}");
            return;
        }
        chain.doFilter(request, response);
    }

    /** @return why this raw request path is refused, or null when it is plain. */
    static String refusal(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "it is empty";
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("%25") || lower.contains("%3b")) {
            return "it encodes a dot, slash, backslash, semicolon or percent sign";
        }
        String path;
        try {
            path = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "it has a broken percent-encoding";
        }
        if (path.indexOf(';') >= 0) {
            return "it has path parameters (;)";
        }
        if (path.indexOf('\\') >= 0) {
            return "it has a backslash";
        }
        if (path.contains("//")) {
            return "it has an empty segment (//)";
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return "it has a '" + segment + "' segment";
            }
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "it has control characters";
            }
        }
        return null;
    }
}

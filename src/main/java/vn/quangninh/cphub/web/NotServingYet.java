package vn.quangninh.cphub.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A partner's request that arrives while the hub is starting or stopping (its routes not running) gets 503 with
 * Retry-After, so the partner keeps its message and sends it again, rather than a 404 or the console's 401.
 */
public class NotServingYet extends OncePerRequestFilter {

    private static final int RETRY_AFTER_SECONDS = 5;

    private final PartnerHttpPaths paths;

    public NotServingYet(PartnerHttpPaths paths) {
        this.paths = paths;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return paths.serving() || PartnerHttpPaths.isDocument(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        response.setContentType("application/json");
        response.getWriter().write("{\"status\":503,\"error\":\"starting\",\"message\":"
                + "\"The hub is starting or stopping; nothing was stored, send again\"}");
    }
}

package vn.quangninh.cphub.intake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import vn.quangninh.cphub.HubProperties;
import vn.quangninh.cphub.web.PartnerHttpPaths;
import vn.quangninh.cphub.web.ReplayedBodyRequest;

/**
 * Hands the intake flows the bytes a partner sent, exactly, and never more than the limit.
 *
 * <p>Camel's platform-http binding reads a request body as characters, and parses form and multipart
 * bodies itself (failing with a 500 and logging the body). For a partner's path ({@link PartnerHttpPaths}) this filter reads the body
 * once, at most {@code cphub.intake.max-body-size} + 1 bytes, and replays it as ISO-8859-1 — one
 * character per byte, so {@link IntakeRequestGuard} recovers the raw bytes from the text. A missing,
 * form or multipart Content-Type reaches the flow as {@code application/octet-stream}, with the sender's
 * own value in {@link #ORIGINAL_CONTENT_TYPE}, so it gets the same 415 and quarantine as any wrong type.
 * An oversize body is cut and flagged with {@link #TRUNCATED}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10) // after security.RequestPathGuard
public class RawBodyFilter extends OncePerRequestFilter {

    /** The Content-Type as the sender sent it ("" when there was none). */
    public static final String ORIGINAL_CONTENT_TYPE = "X-CPHub-Original-Content-Type";
    /** Present ("true") when the body was longer than the limit and was cut. */
    public static final String TRUNCATED = "X-CPHub-Body-Truncated";
    private static final String OPAQUE = "application/octet-stream";

    private final long maxBodySize;
    private final PartnerHttpPaths partnerPaths;

    public RawBodyFilter(HubProperties hub, PartnerHttpPaths partnerPaths) {
        this.maxBodySize = hub.intake().maxBodySize().toBytes();
        this.partnerPaths = partnerPaths;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // a partner's path is one a connector's route serves (the console's operations API never is)
        return "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())
                || !partnerPaths.isPartnerRequest(request);
    }

    static boolean needsShielding(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] body;
        try {
            body = request.getInputStream().readNBytes((int) Math.min(maxBodySize + 1, Integer.MAX_VALUE - 8));
        } catch (java.net.SocketTimeoutException | org.apache.catalina.connector.ClientAbortException stalled) {
            // the sender stopped sending its body for longer than the read timeout (server.tomcat.connection-timeout)
            org.slf4j.LoggerFactory.getLogger(RawBodyFilter.class).info("Body from {} on {} stalled past the read timeout: 408",
                    request.getRemoteAddr(), request.getRequestURI());
            // Tomcat answers it with its error page for 408 (Request Timeout) and closes the connection
            response.setStatus(408);
            return;
        }
        boolean truncated = body.length > maxBodySize || request.getContentLengthLong() > maxBodySize;
        Map<String, String> extraHeaders = new java.util.HashMap<>();
        String contentType = request.getContentType();
        if (needsShielding(contentType)) {
            extraHeaders.put("Content-Type", OPAQUE);
            extraHeaders.put(ORIGINAL_CONTENT_TYPE, contentType == null ? "" : contentType);
        }
        if (truncated) {
            extraHeaders.put(TRUNCATED, "true");
        }
        chain.doFilter(new RawBodyRequest(request, body, extraHeaders), response);
    }

    /** The request with its body already read, as ISO-8859-1 text, and its parameters kept out of the body. */
    private static final class RawBodyRequest extends ReplayedBodyRequest {
        private final Map<String, String> extraHeaders;

        RawBodyRequest(HttpServletRequest request, byte[] body, Map<String, String> extraHeaders) {
            super(request, body, StandardCharsets.ISO_8859_1);
            this.extraHeaders = extraHeaders;
        }

        @Override
        public String getContentType() {
            return extraHeaders.getOrDefault("Content-Type", super.getContentType());
        }

        // intake endpoints take no parameters; form parsing would read the body
        @Override
        public String getParameter(String name) {
            return null;
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return Map.of();
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.emptyEnumeration();
        }

        @Override
        public String[] getParameterValues(String name) {
            return null;
        }

        @Override
        public String getHeader(String name) {
            for (var e : extraHeaders.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            if ("Content-Length".equalsIgnoreCase(name)) {
                return String.valueOf(getContentLength());
            }
            return super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            String value = getHeader(name);
            return Collections.enumeration(value == null ? List.of() : List.of(value));
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>(Collections.list(super.getHeaderNames()));
            for (String extra : extraHeaders.keySet()) {
                if (names.stream().noneMatch(extra::equalsIgnoreCase)) {
                    names.add(extra);
                }
            }
            return Collections.enumeration(names);
        }
    }
}

package vn.quangninh.cphub.intake;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the intake bodies opaque until the intake flow reads them. A request to a partner endpoint with no
 * Content-Type, or a form / multipart one, would otherwise be parsed as form fields by the servlet layer
 * and Camel's platform-http binding — which fails with a 500 and logs the body. Such requests reach the
 * flow as {@code application/octet-stream}, with the type the sender gave in {@link #ORIGINAL_CONTENT_TYPE},
 * and get the same 415 and quarantine as any other wrong type.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class OpaqueBodyFilter extends OncePerRequestFilter {

    /** The Content-Type as the sender sent it ("" when there was none). */
    public static final String ORIGINAL_CONTENT_TYPE = "X-CPHub-Original-Content-Type";
    private static final String OPAQUE = "application/octet-stream";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.startsWith("/api/") || !needsShielding(request.getContentType());
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
        String original = request.getContentType() == null ? "" : request.getContentType();
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getContentType() {
                return OPAQUE;
            }

            @Override
            public String getHeader(String name) {
                if ("Content-Type".equalsIgnoreCase(name)) {
                    return OPAQUE;
                }
                return ORIGINAL_CONTENT_TYPE.equalsIgnoreCase(name) ? original : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                String value = getHeader(name);
                if ("Content-Type".equalsIgnoreCase(name) || ORIGINAL_CONTENT_TYPE.equalsIgnoreCase(name)) {
                    return Collections.enumeration(value == null ? java.util.List.of() : java.util.List.of(value));
                }
                return super.getHeaders(name);
            }

            // form parsing would consume the body: intake endpoints take no parameters
            @Override
            public String getParameter(String name) {
                return null;
            }

            @Override
            public java.util.Map<String, String[]> getParameterMap() {
                return java.util.Map.of();
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
            public Enumeration<String> getHeaderNames() {
                java.util.List<String> names = Collections.list(super.getHeaderNames());
                if (names.stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
                    names.add("Content-Type");
                }
                names.add(ORIGINAL_CONTENT_TYPE);
                return Collections.enumeration(names);
            }
        }, response);
    }
}

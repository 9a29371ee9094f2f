package vn.quangninh.cphub.web;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;

/**
 * The address an HTTP request came from, as the servlet container saw it (behind a reverse proxy: the
 * proxy's, unless {@code server.forward-headers-strategy=native} makes Tomcat take X-Forwarded-For from a
 * trusted proxy; see README, "TLS and proxies").
 */
public final class ClientAddress {

    /** The header camel platform-http puts the servlet request in. */
    private static final String SERVLET_REQUEST = "CamelHttpServletRequest";

    private ClientAddress() {
    }

    public static String of(Exchange exchange) {
        HttpServletRequest request = exchange.getMessage().getHeader(SERVLET_REQUEST, HttpServletRequest.class);
        return request == null || request.getRemoteAddr() == null ? "unknown" : request.getRemoteAddr();
    }
}

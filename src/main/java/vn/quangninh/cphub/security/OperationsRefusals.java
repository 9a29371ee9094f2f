package vn.quangninh.cphub.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/**
 * How the operations API ({@code /api/ops/**}) refuses: a JSON body that says why (no login, the role does
 * not allow it, the CSRF token is missing), and one log line with the user and the reason.
 */
final class OperationsRefusals {

    private static final Logger LOG = LoggerFactory.getLogger(OperationsRefusals.class);

    private OperationsRefusals() {
    }

    static AuthenticationEntryPoint notSignedIn() {
        return (request, response, e) -> answer(request, response, 401,
                "sign in with a console user (HTTP Basic or the console's session)", "anonymous");
    }

    static AccessDeniedHandler forbidden() {
        return (request, response, e) -> {
            Authentication user = SecurityContextHolder.getContext().getAuthentication();
            String name = user == null ? "anonymous" : user.getName();
            String reason = e instanceof CsrfException
                    ? "a console request that changes something needs the CSRF token: send back the XSRF-TOKEN cookie as the "
                      + "X-XSRF-TOKEN header (any GET of the console sets the cookie)"
                    : request.getRequestURI().endsWith("/discard")
                      ? "discarding a message needs the admin role; you have " + roles(user)
                      : request.getRequestURI().endsWith("/content")
                        ? "a message's content is for the admin role; you have " + roles(user)
                        : "this needs the operator or admin role; you have " + roles(user);
            answer(request, response, 403, reason, name);
        };
    }

    private static String roles(Authentication user) {
        return user == null ? "none" : user.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .map(a -> a.replaceFirst("^ROLE_", "")).sorted().toList().toString();
    }

    private static void answer(HttpServletRequest request, HttpServletResponse response, int status, String reason, String user)
            throws IOException {
        LOG.info("Operations request {} {} by {} refused with {}: {}", request.getMethod(), request.getRequestURI(), user, status, reason);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"status\":" + status + ",\"reason\":\"" + reason.replace("\"", "'") + "\"}");
    }
}

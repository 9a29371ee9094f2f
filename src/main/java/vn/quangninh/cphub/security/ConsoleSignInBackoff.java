package vn.quangninh.cphub.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@link CredentialBackoff} at the console's door: Spring Security reports every failed and successful
 * sign-in (form or Basic), and a sign-in attempt from a locked account or address is answered 429 with
 * Retry-After before its password is checked. Placed in the console's filter chain by
 * {@link SecurityConfiguration}, not as a servlet filter of its own.
 */
@Component
public class ConsoleSignInBackoff {

    static final String DOOR = "console";

    private final CredentialBackoff backoff;

    public ConsoleSignInBackoff(CredentialBackoff backoff) {
        this.backoff = backoff;
    }

    @EventListener
    public void failed(AuthenticationFailureBadCredentialsEvent event) {
        backoff.failed(DOOR, event.getAuthentication().getName(), address(event.getAuthentication()));
    }

    @EventListener
    public void succeeded(AuthenticationSuccessEvent event) {
        backoff.succeeded(DOOR, event.getAuthentication().getName(), address(event.getAuthentication()));
    }

    /** The filter that refuses sign-in attempts while locked (form login POST, or a request with Basic credentials). */
    OncePerRequestFilter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                Optional<String> account = signingInAs(request);
                Optional<Duration> wait = account.flatMap(a -> backoff.lockedFor(DOOR, a, request.getRemoteAddr()));
                if (wait.isPresent()) {
                    long seconds = wait.get().toSeconds() + 1;
                    response.setStatus(429);
                    response.setHeader("Retry-After", String.valueOf(seconds));
                    response.setContentType("application/json");
                    response.getWriter().write("{\"status\":429,\"error\":\"too_many_failures\",\"message\":\"Too many failed sign-ins; try again in "
                            + seconds + " s\"}");
                    return;
                }
                chain.doFilter(request, response);
            }
        };
    }

    private static Optional<String> signingInAs(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return Optional.of(colon < 0 ? decoded : decoded.substring(0, colon));
            } catch (IllegalArgumentException notBase64) {
                return Optional.empty();
            }
        }
        if ("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath())) {
            return Optional.ofNullable(request.getParameter("username"));
        }
        return Optional.empty();
    }

    private static String address(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails details && details.getRemoteAddress() != null
                ? details.getRemoteAddress() : "unknown";
    }
}

package vn.quangninh.cphub.security;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

import vn.quangninh.cphub.config.OperatorFiles;
import vn.quangninh.cphub.web.NotServingYet;
import vn.quangninh.cphub.web.PartnerHttpPaths;

/**
 * Two doors. The partner APIs (the paths the connectors' routes serve, {@link PartnerHttpPaths}, and the public documents) are stateless: partners authenticate
 * in the intake flow itself, so that every refused message is still kept for operators. Everything else
 * — Hawtio, Jolokia, actuator — needs a console login (form or Basic) with a role; what each role may do
 * with the MBeans is decided inside Jolokia by {@link JolokiaRestrictor}. Hawtio's own login is off: Spring
 * Security is the only gate. Every state-changing console request needs the CSRF token (admins included);
 * the session and CSRF cookies are SameSite=Strict, and Secure when the request came over TLS.
 */
@Configuration
public class SecurityConfiguration {

    /** The operations API (ops.OperationsApi): console logins, JSON answers, a refusal says why. */
    static final String OPERATIONS = "/api/ops/**";

    @Bean
    @Order(1)
    SecurityFilterChain partnerApi(HttpSecurity http, PartnerHttpPaths partnerPaths) throws Exception {
        // the paths the connectors' routes serve (and /schema/**), not a list in Java: a new source connector's path
        // is a partner's as soon as its route runs; the console's paths never are (PartnerHttpPaths.CONSOLE_PATHS)
        return http.securityMatcher(partnerPaths::isPartnerRequest)
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .addFilterBefore(new NotServingYet(partnerPaths), AuthorizationFilter.class)
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(r -> r.disable())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain console(HttpSecurity http, ConsoleAccessSettings settings, ConsoleSignInBackoff signInBackoff) throws Exception {
        var jolokia = new AntPathRequestMatcher("/actuator/jolokia/**");
        CookieCsrfTokenRepository csrfCookie = CookieCsrfTokenRepository.withHttpOnlyFalse(); // Hawtio's script sends it back
        csrfCookie.setCookieCustomizer(cookie -> cookie.sameSite("Strict"));
        return http
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/login", "/error").permitAll()
                        .requestMatchers("/console/evidence/**").hasRole("evidence")
                        // the programme's statistics (counts only, each read recorded): its own role
                        .requestMatchers("/console/statistics/**").hasRole("statistics")
                        // discarding removes a child's report from the hub for good: admins; retrying: operators too
                        .requestMatchers(HttpMethod.POST, "/api/ops/v1/dead-letters/*/discard").hasRole("admin")
                        // what a child's report says, as its partner was to receive it: admins, like browse in Jolokia
                        .requestMatchers(HttpMethod.POST, "/api/ops/v1/dead-letters/*/*/content").hasRole("admin")
                        .requestMatchers(HttpMethod.POST, "/api/ops/v1/referrals/*/content").hasRole("admin")
                        .requestMatchers(HttpMethod.POST, "/api/ops/**").hasAnyRole("operator", "admin")
                        .anyRequest().hasAnyRole("viewer", "operator", "admin"))
                .formLogin(f -> f.successHandler(new ConsoleLanding()))
                .httpBasic(Customizer.withDefaults())
                .logout(Customizer.withDefaults())
                .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(
                                new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED), jolokia)
                        .defaultAuthenticationEntryPointFor(OperationsRefusals.notSignedIn(), new AntPathRequestMatcher(OPERATIONS))
                        .defaultAccessDeniedHandlerFor(OperationsRefusals.forbidden(), new AntPathRequestMatcher(OPERATIONS)))
                .csrf(c -> c.csrfTokenRepository(csrfCookie)
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler()))
                .addFilterBefore(signInBackoff.filter(), UsernamePasswordAuthenticationFilter.class)
                .addFilterAfter(new JolokiaBodyLimit(settings.maxJolokiaBody().toBytes()), AuthorizationFilter.class)
                .addFilterAfter(new CsrfCookieFilter(), AuthorizationFilter.class)
                .build();
    }

    /**
     * What Spring Security's firewall refuses (see also {@link RequestPathGuard}) is a 400 with a reason and
     * one log line, not a 500 with a stack trace.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (request, response, rejected) -> {
            org.slf4j.LoggerFactory.getLogger(SecurityConfiguration.class).info("Request refused with 400 from {}: {}",
                    request.getRemoteAddr(), rejected.getMessage());
            response.setStatus(400);
            response.setContentType("application/json");
            response.getWriter().write("{\"status\":400,\"error\":\"bad_request\",\"message\":\"The request was refused by the "
                    + "hub's firewall (unusual characters or encodings in the path, method or headers)\"}");
        };
    }

    /**
     * No Spring Security observations: with actuator's registry present it otherwise wraps each of its filters of
     * each request (and of its second, async pass) in an observation, and the login and authorization managers
     * too. Turned off by this bean, not by {@code management.observations.enable.spring.security=false}: that
     * makes the observations no-ops but keeps the wrappers: about 0.3 ms of CPU per partner request (#13, bench/RESULTS.md).
     */
    @Bean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    UserDetailsService consoleUsers(OperatorFiles files, Environment environment) {
        return new InMemoryUserDetailsManager(HubUsers.load(files, environment));
    }

    /** Writes the XSRF-TOKEN cookie on every console answer, so Hawtio (and scripts) can send it back. */
    static final class CsrfCookieFilter extends org.springframework.web.filter.OncePerRequestFilter {
        @Override
        protected void doFilterInternal(jakarta.servlet.http.HttpServletRequest request, HttpServletResponse response,
                                        jakarta.servlet.FilterChain chain) throws jakarta.servlet.ServletException, java.io.IOException {
            var token = (org.springframework.security.web.csrf.CsrfToken) request.getAttribute(
                    org.springframework.security.web.csrf.CsrfToken.class.getName());
            if (token != null) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }

}

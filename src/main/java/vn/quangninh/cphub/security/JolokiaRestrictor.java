package vn.quangninh.cphub.security;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import javax.management.ObjectName;

import jakarta.servlet.http.HttpServletRequest;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Jolokia's own access check, answered by {@link ConsoleAccessPolicy} for the console user of the request.
 * Jolokia asks it after it has parsed the request itself — whatever the URL, the {@code p=} parameter or
 * the body said — and right before it reads, writes or executes, so there is no second parser to fool.
 * A refusal is a {@link SecurityException} with the reason, which Jolokia answers as status 403 with that
 * message (and no stack trace). The Spring Boot Jolokia endpoint picks this bean up as its restrictor.
 */
@Component
public class JolokiaRestrictor implements Restrictor {

    private final ConsoleAccessPolicy policy;
    private final ConsoleAudit audit;
    private final List<String> allowedOrigins;

    public JolokiaRestrictor(ConsoleAccessPolicy policy, ConsoleAudit audit, ConsoleAccessSettings settings) {
        this.policy = policy;
        this.audit = audit;
        this.allowedOrigins = settings.allowedOrigins().stream().map(JolokiaRestrictor::origin).toList();
    }

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.POST;
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        return check(policy.requestType(role(), type.getName()), "Jolokia " + type.getName(), "the hub");
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName mbean, String attribute) {
        ConsoleAccessPolicy.Decision decision = policy.read(role(), mbean, attribute);
        if (!decision.allowed()) {
            audit.refusedRead(user(), role(), mbean, attribute, decision.reason());
            throw new SecurityException(decision.reason());
        }
        return true;
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName mbean, String attribute) {
        ConsoleRole role = role();
        check(policy.write(role, mbean, attribute, posted()), "write of " + attribute, mbean);
        audit.wrote(user(), role, mbean, attribute);
        return true;
    }

    @Override
    public boolean isOperationAllowed(ObjectName mbean, String operation) {
        ConsoleRole role = role();
        check(policy.exec(role, mbean, operation, posted()), "exec " + operation, mbean);
        if (!policy.isPermissionQuery(mbean)) {
            audit.executed(user(), role, mbean, operation, policy.returnsContent(mbean, operation));
        }
        return true;
    }

    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return true; // who may connect is Spring Security's and the network's to decide
    }

    /**
     * Browsers may call Jolokia from the hub's own pages (and the configured origins) only: Jolokia would
     * otherwise answer any origin's cross-site request with the user's credentials (CORS).
     */
    @Override
    public boolean isOriginAllowed(String origin, boolean strictChecking) {
        if (origin == null) {
            return true; // not a browser's cross-site request
        }
        String asked = origin(origin);
        HttpServletRequest request = currentRequest();
        if (request != null) {
            String own = origin(request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort());
            if (own.equals(asked)) {
                return true;
            }
        }
        return allowedOrigins.contains(asked);
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        // Hawtio asks the first ACL MBean it finds: only the hub's own (HawtioPermissions), never the allow-all dummy
        return HawtioPermissions.DUMMY.equals(name);
    }

    private boolean check(ConsoleAccessPolicy.Decision decision, String what, Object target) {
        if (!decision.allowed()) {
            audit.refused(user(), role(), what, target, decision.reason());
            throw new SecurityException(decision.reason());
        }
        return true;
    }

    /** Exec and write count only when POSTed: only then does Spring Security demand the CSRF token. */
    private static boolean posted() {
        HttpServletRequest request = currentRequest();
        return request != null && "POST".equalsIgnoreCase(request.getMethod());
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }

    private static ConsoleRole role() {
        return ConsoleRole.of(SecurityContextHolder.getContext().getAuthentication());
    }

    private static String user() {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        return user == null ? "anonymous" : user.getName();
    }

    /** scheme://host:port of an Origin or Referer, lower case, with the default port made explicit. */
    static String origin(String url) {
        try {
            URI uri = URI.create(url.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            return scheme + "://" + host + ":" + port;
        } catch (IllegalArgumentException e) {
            return "invalid:" + url;
        }
    }
}

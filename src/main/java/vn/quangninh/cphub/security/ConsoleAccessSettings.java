package vn.quangninh.cphub.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * What each console role may do through Jolokia and Hawtio ({@code cphub.security.console}); read by
 * {@link ConsoleAccessPolicy}, the one place that decides.
 *
 * @param viewerOperations   operations every console role may execute (the permission queries Hawtio makes
 *                           about its own user, read-only route dumps and health)
 * @param operatorOperations operations an operator may execute in addition (message repair)
 * @param contentOperations  operations that return message contents: admins only, and each call is logged as a
 *                           content read
 * @param adminOnlyAttributes attributes only admins may read (JVM arguments and system properties)
 * @param allowedOrigins     browser origins, besides the hub's own, that may call Jolokia (CORS); empty: none
 * @param maxJolokiaBody     the largest Jolokia request body (Hawtio's permission batch at login is ~0.7 MB)
 */
@ConfigurationProperties("cphub.security.console")
public record ConsoleAccessSettings(List<MBeanOperations> viewerOperations, List<MBeanOperations> operatorOperations,
                                    List<MBeanOperations> contentOperations, List<MBeanAttributes> adminOnlyAttributes,
                                    List<String> allowedOrigins, DataSize maxJolokiaBody) {

    public ConsoleAccessSettings {
        viewerOperations = viewerOperations == null ? List.of() : List.copyOf(viewerOperations);
        operatorOperations = operatorOperations == null ? List.of() : List.copyOf(operatorOperations);
        contentOperations = contentOperations == null ? List.of() : List.copyOf(contentOperations);
        adminOnlyAttributes = adminOnlyAttributes == null ? List.of() : List.copyOf(adminOnlyAttributes);
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        maxJolokiaBody = maxJolokiaBody == null ? DataSize.ofMegabytes(8) : maxJolokiaBody;
    }

    /** Operations (by name, any signature) on the MBeans an ObjectName pattern matches. */
    public record MBeanOperations(String mbean, List<String> operations) {
    }

    /** Attributes on the MBeans an ObjectName pattern matches. */
    public record MBeanAttributes(String mbean, List<String> attributes) {
    }
}

package vn.quangninh.cphub.security;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.springframework.stereotype.Component;

/**
 * The one decision on what a console login may do with the hub's MBeans. Jolokia asks it for every read,
 * write and exec it is about to perform ({@link JolokiaRestrictor}), and Hawtio asks it which operations to
 * offer ({@link HawtioPermissions}), so the UI and the server cannot disagree.
 * <ul>
 *   <li>viewer: read attributes (not JVM arguments or system properties), list, search; execute only the
 *       operations of {@code viewer-operations} (Hawtio's permission queries, route dumps, health);</li>
 *   <li>operator: also {@code operator-operations} (message repair: retry, count, list properties);</li>
 *   <li>admin: everything, including the operations that return message contents, each logged.</li>
 * </ul>
 * Exec and write are taken only as POST, which needs the CSRF token; a GET exec is refused for every role.
 * An operation on an MBean pattern is for admins only.
 */
@Component
public class ConsoleAccessPolicy {

    /** Jolokia request types anyone with a console role may send (exec and write are decided per call). */
    private static final Set<String> LOOKING = Set.of("read", "list", "search", "version");

    public record Decision(boolean allowed, String reason) {
        static final Decision ALLOWED = new Decision(true, null);

        static Decision refused(String reason) {
            return new Decision(false, reason);
        }
    }

    private record OperationRule(ObjectName mbean, Set<String> operations) {
        boolean matches(ObjectName name, String operation) {
            return mbean.apply(name) && operations.contains(operation);
        }
    }

    private record AttributeRule(ObjectName mbean, Set<String> attributes) {
        boolean matches(ObjectName name, String attribute) {
            return mbean.apply(name) && attributes.contains(attribute);
        }
    }

    private final List<OperationRule> viewerOperations;
    private final List<OperationRule> operatorOperations;
    private final List<OperationRule> contentOperations;
    private final List<AttributeRule> adminOnlyAttributes;

    public ConsoleAccessPolicy(ConsoleAccessSettings settings) {
        this.viewerOperations = operations(settings.viewerOperations(), "viewer-operations");
        this.operatorOperations = operations(settings.operatorOperations(), "operator-operations");
        this.contentOperations = operations(settings.contentOperations(), "content-operations");
        this.adminOnlyAttributes = settings.adminOnlyAttributes().stream()
                .map(a -> new AttributeRule(pattern(a.mbean(), "admin-only-attributes"), Set.copyOf(a.attributes())))
                .toList();
    }

    /** Whether this role may send a Jolokia request of this type at all (exec and write: see their own checks). */
    public Decision requestType(ConsoleRole role, String type) {
        String t = type.toLowerCase(Locale.ROOT);
        if (role == ConsoleRole.NONE) {
            return Decision.refused("a console role (viewer, operator or admin) is needed");
        }
        if (LOOKING.contains(t) || "exec".equals(t) || "write".equals(t) || role == ConsoleRole.ADMIN) {
            return Decision.ALLOWED;
        }
        return Decision.refused("Jolokia " + t + " requests are for admins only");
    }

    public Decision read(ConsoleRole role, ObjectName mbean, String attribute) {
        if (role == ConsoleRole.NONE) {
            return Decision.refused("a console role is needed");
        }
        if (role != ConsoleRole.ADMIN && adminOnlyAttributes.stream().anyMatch(r -> r.matches(mbean, attribute))) {
            return Decision.refused("attribute " + attribute + " of " + mbean.getDomain()
                    + " is for admins only (JVM arguments and system properties can hold secrets)");
        }
        return Decision.ALLOWED;
    }

    public Decision write(ConsoleRole role, ObjectName mbean, String attribute, boolean post) {
        if (!post) {
            return notPosted("write");
        }
        return role == ConsoleRole.ADMIN ? Decision.ALLOWED
                : Decision.refused("writing attribute " + attribute + " is for admins only");
    }

    public Decision exec(ConsoleRole role, ObjectName mbean, String operation, boolean post) {
        String name = bare(operation);
        if (!post) {
            return notPosted("exec");
        }
        if (role == ConsoleRole.ADMIN) {
            return Decision.ALLOWED;
        }
        if (role == ConsoleRole.NONE) {
            return Decision.refused("a console role is needed");
        }
        if (mbean.isPattern()) {
            return Decision.refused("an operation on an MBean pattern is for admins only");
        }
        if (viewerOperations.stream().anyMatch(r -> r.matches(mbean, name))
                || role.atLeast(ConsoleRole.OPERATOR) && operatorOperations.stream().anyMatch(r -> r.matches(mbean, name))) {
            return Decision.ALLOWED;
        }
        if (returnsContent(mbean, name)) {
            return Decision.refused("operation " + name + " returns message contents: admins only");
        }
        return Decision.refused("operation " + name + " on " + mbean.getDomain() + " is not allowed for the role " + role.label());
    }

    /** Operations that return what messages contain (a child's report): admins only, every call recorded. */
    public boolean returnsContent(ObjectName mbean, String operation) {
        String name = bare(operation);
        return contentOperations.stream().anyMatch(r -> r.mbean().apply(mbean) && r.operations().contains(name))
                || mbean.isPattern();
    }

    /**
     * Hawtio's questions about what its own user may do (its RBAC registry, the hub's {@link HawtioPermissions}):
     * asked by every role, hundreds at a time at login; not actions, so not audited one by one.
     */
    public boolean isPermissionQuery(ObjectName mbean) {
        return "security".equals(mbean.getKeyProperty("type")) && !mbean.isPattern()
                && ("hawtio".equals(mbean.getDomain()) || HawtioPermissions.NAME.getDomain().equals(mbean.getDomain()));
    }

    private static Decision notPosted(String what) {
        return Decision.refused("Jolokia " + what + " must be sent as POST with the CSRF token (header X-XSRF-TOKEN), as Hawtio sends it");
    }

    /** "browse(java.lang.String)" → "browse". */
    static String bare(String operation) {
        if (operation == null) {
            return "";
        }
        int paren = operation.indexOf('(');
        return (paren < 0 ? operation : operation.substring(0, paren)).trim();
    }

    private static List<OperationRule> operations(List<ConsoleAccessSettings.MBeanOperations> rules, String setting) {
        return rules.stream().map(r -> new OperationRule(pattern(r.mbean(), setting), Set.copyOf(r.operations()))).toList();
    }

    private static ObjectName pattern(String mbean, String setting) {
        try {
            return new ObjectName(mbean);
        } catch (MalformedObjectNameException | NullPointerException e) {
            throw new IllegalStateException("cphub.security.console." + setting + ": '" + mbean
                    + "' is not an MBean name or pattern (domain:key=value,*)", e);
        }
    }
}

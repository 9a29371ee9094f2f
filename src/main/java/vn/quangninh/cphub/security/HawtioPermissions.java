package vn.quangninh.cphub.security;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;

import io.hawt.jmx.JMXSecurityMBean;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * What Hawtio asks before it shows an operation: "may the current user invoke this?" — answered by
 * {@link ConsoleAccessPolicy}, the same decision Jolokia enforces, so Hawtio greys out or hides what the
 * user's role may not run instead of offering an Execute button that ends in a bare 403. Registered as the
 * ACL MBean Hawtio looks for ({@code *:type=security,area=jmx,*}); Hawtio's own allow-all dummy is hidden
 * from Jolokia's search and list ({@link JolokiaRestrictor#isObjectNameHidden}).
 */
@Component
public class HawtioPermissions implements JMXSecurityMBean {

    static final ObjectName DUMMY = name("hawtio:type=security,area=jmx,name=HawtioDummyJMXSecurity");
    static final ObjectName NAME = name("vn.quangninh.cphub:type=security,area=jmx,name=ConsoleAccess");

    private final ConsoleAccessPolicy policy;
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private ObjectName registered;

    public HawtioPermissions(ConsoleAccessPolicy policy) {
        this.policy = policy;
    }

    @PostConstruct
    void register() throws JMException {
        ObjectName name = NAME;
        if (server.isRegistered(name)) {
            // a second hub in the same JVM (tests): same rules, its own name
            name = name(NAME + ",instance=" + System.identityHashCode(this));
        }
        try {
            server.registerMBean(new StandardMBean(this, JMXSecurityMBean.class), name);
            registered = name;
        } catch (InstanceAlreadyExistsException raced) {
            registered = null;
        }
    }

    @PreDestroy
    void unregister() throws JMException {
        if (registered != null && server.isRegistered(registered)) {
            server.unregisterMBean(registered);
        }
    }

    /** Whether the user may invoke at least one operation of the MBean. */
    @Override
    public boolean canInvoke(String objectName) throws Exception {
        ObjectName mbean = new ObjectName(objectName);
        ConsoleRole role = role();
        if (role == ConsoleRole.ADMIN) {
            return true;
        }
        if (!server.isRegistered(mbean)) {
            return false;
        }
        for (MBeanOperationInfo op : server.getMBeanInfo(mbean).getOperations()) {
            if (policy.exec(role, mbean, op.getName(), true).allowed()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean canInvoke(String objectName, String methodName) throws Exception {
        return policy.exec(role(), new ObjectName(objectName), methodName, true).allowed();
    }

    @Override
    public boolean canInvoke(String objectName, String methodName, String[] argumentTypes) throws Exception {
        return canInvoke(objectName, methodName);
    }

    @Override
    public TabularData canInvoke(Map<String, List<String>> bulkQuery) throws Exception {
        TabularData table = new TabularDataSupport(CAN_INVOKE_TABULAR_TYPE);
        for (Map.Entry<String, List<String>> entry : bulkQuery.entrySet()) {
            if (entry.getValue().isEmpty()) {
                table.put(row(entry.getKey(), "", canInvoke(entry.getKey())));
            } else {
                for (String method : entry.getValue()) {
                    table.put(row(entry.getKey(), method, canInvoke(entry.getKey(), method)));
                }
            }
        }
        return table;
    }

    private static CompositeDataSupport row(String mbean, String method, boolean allowed) throws OpenDataException {
        return new CompositeDataSupport(CAN_INVOKE_RESULT_ROW_TYPE, CAN_INVOKE_RESULT_COLUMNS, new Object[] {mbean, method, allowed});
    }

    private static ConsoleRole role() {
        return ConsoleRole.of(SecurityContextHolder.getContext().getAuthentication());
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }
}

package vn.quangninh.cphub.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.management.ObjectName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The console's audit lines (logger {@code cphub.audit.console}): every exec and write, every content read
 * and every refusal, with the user, the MBean and the operation or attribute — never arguments or results.
 * A refused attribute read that Hawtio repeats on every poll is logged once a minute per user and attribute.
 */
@Component
public class ConsoleAudit {

    private static final Logger AUDIT = LoggerFactory.getLogger("cphub.audit.console");
    private static final Duration REPEAT = Duration.ofMinutes(1);

    private final Map<String, Long> lastRefusedRead = new ConcurrentHashMap<>();

    public void executed(String user, ConsoleRole role, ObjectName mbean, String operation, boolean contentRead) {
        if (contentRead) {
            AUDIT.info("content read by {} ({}): exec {} on {}", user, role.label(), operation, mbean);
        } else {
            AUDIT.info("exec by {} ({}): {} on {}", user, role.label(), operation, mbean);
        }
    }

    public void wrote(String user, ConsoleRole role, ObjectName mbean, String attribute) {
        AUDIT.info("write by {} ({}): attribute {} of {}", user, role.label(), attribute, mbean);
    }

    public void refused(String user, ConsoleRole role, String what, Object target, String reason) {
        AUDIT.warn("refused {} by {} ({}) on {}: {}", what, user, role.label(), target, reason);
    }

    public void refusedRead(String user, ConsoleRole role, ObjectName mbean, String attribute, String reason) {
        String key = user + '|' + mbean + '|' + attribute;
        long now = System.nanoTime();
        Long last = lastRefusedRead.get(key);
        if (last != null && now - last < REPEAT.toNanos()) {
            return;
        }
        lastRefusedRead.put(key, now);
        if (lastRefusedRead.size() > 10_000) {
            lastRefusedRead.clear();
        }
        refused(user, role, "read of " + attribute, mbean, reason);
    }
}

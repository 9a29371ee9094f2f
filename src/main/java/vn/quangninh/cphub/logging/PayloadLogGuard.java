package vn.quangninh.cphub.logging;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import jakarta.annotation.PostConstruct;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Keeps libraries that print message payloads in their own warnings (camel-mllp logs a broken frame's
 * bytes — a child's name among them — at WARN) from writing them to the log. Events of the loggers in
 * {@code cphub.logging.payload-loggers} are replaced by one line on {@code vn.quangninh.cphub.payload-guard}
 * with the level, the source and the start of the message text up to the first data-like character; the
 * arguments are never formatted.
 */
@Component
public class PayloadLogGuard extends TurboFilter {

    private static final org.slf4j.Logger SAFE = LoggerFactory.getLogger("vn.quangninh.cphub.payload-guard");
    private static final int KEPT = 60;

    private final List<String> prefixes;

    public PayloadLogGuard(@Value("${cphub.logging.payload-loggers}") List<String> prefixes) {
        this.prefixes = List.copyOf(prefixes);
        setName("cphub-payload-log-guard");
    }

    @PostConstruct
    void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getTurboFilterList().stream().noneMatch(f -> getName().equals(f.getName()))) {
            start();
            context.addTurboFilter(this);
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // a turbo filter sees every logging call of the JVM, enabled or not (most are disabled debug calls of the
        // libraries, thousands per incident): the level first, read without calling the turbo filters again
        if (format == null || !level.isGreaterOrEqual(logger.getEffectiveLevel()) || !guarded(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        String safe = "%s from %s: %s%s".formatted(level, simpleName(logger.getName()), textPart(format),
                t == null ? "" : " (" + t.getClass().getName() + ")");
        if (level.isGreaterOrEqual(Level.ERROR)) {
            SAFE.error(safe);
        } else if (level.isGreaterOrEqual(Level.WARN)) {
            SAFE.warn(safe);
        } else if (level.isGreaterOrEqual(Level.INFO)) {
            SAFE.info(safe);
        }
        return FilterReply.DENY;
    }

    private boolean guarded(String loggerName) {
        for (String prefix : prefixes) {
            if (loggerName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The words before the first character that usually starts data: ':', '[', '<', '{', '(', '='. */
    static String textPart(String format) {
        int cut = format.length();
        for (char c : new char[] {':', '[', '<', '{', '(', '=', '\r', '\n'}) {
            int at = format.indexOf(c);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        String text = format.substring(0, Math.min(cut, KEPT)).trim();
        return text.isEmpty() ? "(message withheld)" : text;
    }

    /** The class part of a logger name ("MllpTcpServerConsumer" of "...MllpTcpServerConsumer.2575"). */
    static String simpleName(String loggerName) {
        String[] parts = loggerName.split("\\.");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (!parts[i].isEmpty() && !parts[i].chars().allMatch(Character::isDigit)) {
                return parts[i];
            }
        }
        return loggerName;
    }
}

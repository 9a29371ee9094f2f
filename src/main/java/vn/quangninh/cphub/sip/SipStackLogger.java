package vn.quangninh.cphub.sip;

import java.util.Properties;

import gov.nist.core.StackLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP's stack logger, through SLF4J instead of log4j 1.x (which the stack would otherwise need).
 * Only warnings and errors, first line only, with long digit runs masked: SIP messages carry callers'
 * numbers, and the stack quotes messages in its lines.
 */
public class SipStackLogger implements StackLogger {

    private static final Logger LOG = LoggerFactory.getLogger("vn.quangninh.cphub.sip.stack");

    static String safe(String text) {
        if (text == null) {
            return "";
        }
        String first = text.lines().findFirst().orElse("");
        String masked = first.replaceAll("\\d{5,}", "…");
        return masked.length() > 160 ? masked.substring(0, 160) + "…" : masked;
    }

    @Override public void logStackTrace() { }
    @Override public void logStackTrace(int traceLevel) { }
    @Override public int getLineCount() { return 0; }
    @Override public void logException(Throwable ex) { LOG.warn("SIP stack: {}", ex.getClass().getName()); }
    @Override public void logDebug(String message) { }
    @Override public void logDebug(String message, Exception ex) { }
    @Override public void logTrace(String message) { }
    @Override public void logFatalError(String message) { LOG.error("SIP stack: {}", safe(message)); }
    @Override public void logError(String message) { LOG.error("SIP stack: {}", safe(message)); }
    @Override public boolean isLoggingEnabled() { return true; }
    @Override public boolean isLoggingEnabled(int logLevel) { return logLevel <= TRACE_WARN; }
    @Override public void logError(String message, Exception ex) { LOG.error("SIP stack: {} ({})", safe(message), ex.getClass().getName()); }
    @Override public void logWarning(String message) {
        // the stack warns at every start that TLS is not configured; the hub listens on UDP/TCP only
        if (message != null && message.toLowerCase(java.util.Locale.ROOT).matches("(?s).*(tls|keystore|truststore).*")) {
            LOG.debug("SIP stack: {}", safe(message));
        } else {
            LOG.warn("SIP stack: {}", safe(message));
        }
    }
    @Override public void logInfo(String message) { }
    @Override public void disableLogging() { }
    @Override public void enableLogging() { }
    @Override public void setBuildTimeStamp(String buildTimeStamp) { }
    @Override public void setStackProperties(Properties stackProperties) { }
    @Override public String getLoggerName() { return LOG.getName(); }
}

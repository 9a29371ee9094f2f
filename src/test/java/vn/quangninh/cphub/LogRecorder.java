package vn.quangninh.cphub;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * What a logback logger (and the loggers below it) logged while a test ran. The hub's threads — and those of the
 * other Spring test contexts still cached in the same JVM — keep logging while the test reads, so every read is a
 * copy taken under the appender's lock (logback's {@code doAppend} is synchronized on the appender): iterating the
 * appender's list directly failed a CI run with a {@code ConcurrentModificationException}.
 */
public final class LogRecorder implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogRecorder(Logger logger) {
        this.logger = logger;
        appender.start();
        logger.addAppender(appender);
    }

    public static LogRecorder of(Class<?> type) {
        return of(type.getName());
    }

    public static LogRecorder of(String loggerName) {
        return new LogRecorder((Logger) LoggerFactory.getLogger(loggerName));
    }

    public static LogRecorder root() {
        return of(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** The events so far, oldest first. */
    public List<ILoggingEvent> events() {
        synchronized (appender) {
            return new ArrayList<>(appender.list);
        }
    }

    /** The formatted messages so far, oldest first. */
    public List<String> messages() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    public void clear() {
        synchronized (appender) {
            appender.list.clear();
        }
    }

    /** Stops recording; what was recorded can still be read. */
    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}

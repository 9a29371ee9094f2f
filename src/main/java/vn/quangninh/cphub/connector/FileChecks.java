package vn.quangninh.cphub.connector;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The timer of a live file check: one daemon thread of its own, the check run every interval after the last. */
final class FileChecks {

    private FileChecks() {
    }

    private static final Logger LOG = LoggerFactory.getLogger(FileChecks.class);

    /** Runs {@code check} every {@code interval}; a check that fails is logged ({@code what} failed) and runs again next time. */
    static ScheduledExecutorService every(Duration interval, String threadName, String what, Runnable check) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        Runnable safely = () -> {
            try {
                check.run();
            } catch (RuntimeException e) {
                LOG.error("Checking {} failed: {}", what, e.toString());
            }
        };
        timer.scheduleWithFixedDelay(safely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return timer;
    }

    /** The innermost cause of a failure (Camel wraps the reason a route cannot be made several times). */
    static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}

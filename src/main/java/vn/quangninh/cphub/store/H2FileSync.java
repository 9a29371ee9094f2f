package vn.quangninh.cphub.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.h2.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Writes an H2 file store through to the disk every {@code cphub.store.h2-sync-interval} (1 s), with H2's own
 * {@code CHECKPOINT SYNC}. Under {@code WRITE_DELAY=0} H2 writes each commit into its file at once but never
 * asks the disk to keep it: the kernel writes those pages out once they are 30 s old ({@code
 * vm.dirty_expire_centisecs}), 0.5–0.9 GB at a time while a backlog drained, and the broker's journal syncs, which
 * every JMS commit of the hub waits for, waited behind that write. The whole hub stalled for 0.2–0.55 s every
 * 31 s, and an escalation due in a stall reached its partner 300–340 ms late (#13, bench/RESULTS.md). Synced every
 * second, no more than about a second's writes wait. It also bounds what a power cut can take from the store to
 * about that second (a killed hub loses nothing either way: its writes are the kernel's already). PostgreSQL
 * writes its own files out in small steps, so a PostgreSQL store is left alone, as is an in-memory H2.
 *
 * <p>The sync runs on a thread of its own, with a pooled connection. How long each took is the timer {@code
 * cphub.store.file.sync} (a slow disk shows there). A store that cannot be reached is logged once until it can be
 * again; a store user without H2's admin rights (which {@code CHECKPOINT SYNC} needs) is logged once and the
 * sync stops.
 */
@Component
public class H2FileSync implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(H2FileSync.class);

    private final DataSource store;
    private final boolean h2File;
    private final Duration interval;
    private final Timer syncs;
    private volatile ScheduledExecutorService timer;
    /** the last sync failed (the timer's thread only) */
    private boolean failing;

    public H2FileSync(DataSource store, @Value("${spring.datasource.url}") String url,
                      @Value("${cphub.store.h2-sync-interval}") Duration interval, MeterRegistry meters) {
        this.store = store;
        this.h2File = url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
        this.interval = interval;
        this.syncs = Timer.builder("cphub.store.file.sync")
                .description("H2 file store written through to the disk (CHECKPOINT SYNC), every cphub.store.h2-sync-interval")
                .register(meters);
    }

    @Override
    public boolean isAutoStartup() {
        return h2File && !interval.isZero() && !interval.isNegative();
    }

    @Override
    public synchronized void start() {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread sync = new Thread(task, "cphub-store-sync");
            sync.setDaemon(true);
            return sync;
        });
        thread.scheduleWithFixedDelay(this::sync, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        timer = thread;
    }

    private void sync() {
        long began = System.nanoTime();
        try (Connection connection = store.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT SYNC");
            syncs.record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
            if (failing) {
                LOG.info("The H2 store's file is written through to the disk again");
                failing = false;
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == ErrorCode.ADMIN_RIGHTS_REQUIRED) {
                LOG.error("The store user has no admin rights in H2, which CHECKPOINT SYNC needs: the H2 file is left"
                        + " to the kernel to write out (stalls of the hub every 30 s under load; a power cut can take"
                        + " the store's last 30 s). Give the user ADMIN, or set CPHUB_STORE_H2_SYNC_INTERVAL=0s to say so");
                ScheduledExecutorService thread = timer;
                if (thread != null) {
                    thread.shutdown();
                }
            } else {
                failed(e);
            }
        } catch (RuntimeException e) {
            // caught here: an exception out of the task would stop every later sync of the timer
            failed(e);
        }
    }

    private void failed(Exception e) {
        if (!failing) {
            LOG.warn("Could not write the H2 store's file through to the disk ({}); trying again every {} ms", e.toString(), interval.toMillis());
            failing = true;
        }
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService thread = timer;
        timer = null;
        if (thread != null) {
            thread.shutdown();
            try {
                thread.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}

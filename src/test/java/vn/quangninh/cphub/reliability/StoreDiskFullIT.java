package vn.quangninh.cphub.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The store's disk full, for real: the embedded H2 store on a 512 MiB tmpfs (the test mounts it: root on a
 * machine that allows mounts, else it is skipped), filled to its last byte while the reliability suite's load
 * runs, then freed. Reports keep being taken (the broker holds them; triage waits, untried once the store's circuit
 * has opened), nothing accepted is lost, and the hub goes on by itself once the disk has room.
 */
class StoreDiskFullIT extends PackagedHubFault {

    private static final int FULL_SECONDS = Integer.getInteger("cphub.store-disk-full.seconds", 15);

    private Path mount;

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor();
        }
    }

    @Test
    void nothingTakenIsLostWhileTheStoresDiskIsFull() throws Exception {
        Path folder = Files.createTempDirectory("cphub-store-disk");
        int mounted = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=512m", "tmpfs", folder.toString())
                .redirectErrorStream(true).start().waitFor();
        assumeThat(mounted).as("this machine lets the test mount a size-limited filesystem").isZero();
        mount = folder;

        startHub("cphub-store-disk-full", Map.of(
                "CPHUB_DB_URL", "jdbc:h2:file:" + folder.resolve("store/cphub") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;QUERY_CACHE_SIZE=64",
                "CPHUB_BROKER_REDELIVERY_DELAY", "1s",
                "CPHUB_BROKER_MAX_REDELIVERY_DELAY", "5s"));

        LoadDriver load = new LoadDriver(hub, police);
        load.start();
        Thread.sleep(Duration.ofSeconds(5).toMillis());
        Path filler = folder.resolve("filler.bin");
        Instant full = Instant.now();
        fill(filler);
        assertThat(folder.toFile().getUsableSpace()).as("the store's disk is full").isLessThan(64 * 1024);
        Thread.sleep(Duration.ofSeconds(FULL_SECONDS).toMillis());
        Instant freed = Instant.now();
        Files.delete(filler);
        Thread.sleep(Duration.ofSeconds(10).toMillis());
        load.stop();

        LoadDriver.Figures figures = load.settle("the store's disk (H2 on a 512 MiB tmpfs) full for " + FULL_SECONDS + " s during load, then freed");
        figures.assertNothingLostNorDoubled();
        // H2 fails at once on a full disk: the circuit opens within a second or two of the first failure, and the
        // tries under way when it opens end as fast
        assertTriageWaitedForTheStore(full, Duration.ofSeconds(5), Duration.ofSeconds(3), freed, Duration.ofSeconds(15));
        assertNoErrorHandlerFailed();
    }

    /** Writes zeros until the filesystem refuses. */
    private static void fill(Path file) throws Exception {
        byte[] block = new byte[64 * 1024];
        try (var out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (java.io.IOException full) {
            // no space left on the device: that is the point
        }
    }
}

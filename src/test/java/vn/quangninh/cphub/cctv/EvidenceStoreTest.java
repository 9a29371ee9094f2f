package vn.quangninh.cphub.cctv;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import vn.quangninh.cphub.MovableClock;
import vn.quangninh.cphub.TestHubProperties;
import vn.quangninh.cphub.intake.IntakeRejectedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The evidence store on its own (files in a temporary folder, its tables in an H2 database in memory): a
 * JPEG is kept encrypted under its sha256 and reads back only whole, every read is recorded, what is not
 * a JPEG or is too big is refused, an altered file does not decrypt, and the retention sweep deletes.
 */
class EvidenceStoreTest {

    @TempDir
    Path data;
    private final MovableClock clock = new MovableClock();
    private JdbcTemplate jdbc;
    private EvidenceStore store;

    @BeforeEach
    void store() throws Exception {
        jdbc = new JdbcTemplate(new DriverManagerDataSource("jdbc:h2:mem:evidence-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", ""));
        for (String ddl : Files.readString(Path.of("src/main/resources/db/migration/V7__camera_alerts_and_evidence.sql"))
                .replaceAll("(?m)^--.*$", "").split(";")) {
            if (!ddl.isBlank()) {
                jdbc.execute(ddl);
            }
        }
        String key = Base64.getEncoder().encodeToString("a-32-byte-key-for-the-unit-test!".getBytes());
        store = new EvidenceStore(TestHubProperties.withConfig(data), jdbc, clock, key, 4096, Duration.ofDays(30));
    }

    @Test
    void aSnapshotIsEncryptedAtRestAndEveryReadIsRecorded() throws Exception {
        byte[] jpeg = jpeg(1000);
        EvidenceStore.Stored stored = store.put(jpeg, "cam-1");
        assertThat(stored.size()).isEqualTo(1000);
        byte[] atRest = Files.readAllBytes(store.file(stored.sha256()));
        assertThat(atRest).hasSize(12 + 1000 + 16); // IV, ciphertext, GCM tag
        java.util.HexFormat hex = java.util.HexFormat.of();
        assertThat(hex.formatHex(atRest)).as("no run of the image's bytes on disk")
                .doesNotContain(hex.formatHex(jpeg, 0, 16)).doesNotContain(hex.formatHex(jpeg, 500, 516));
        assertThat(store.fetch(stored.sha256(), "officer-a")).hasValue(jpeg);
        assertThat(jdbc.queryForObject("select count(*) from evidence_fetch where username = 'officer-a'", Long.class)).isEqualTo(1);
        assertThat(store.put(jpeg, "cam-1").sha256()).as("the same bytes, the same file").isEqualTo(stored.sha256());

        atRest[20] ^= 1;
        Files.write(store.file(stored.sha256()), atRest);
        assertThatThrownBy(() -> store.fetch(stored.sha256(), "officer-a")).hasMessageContaining("does not decrypt");
    }

    @Test
    void aSnapshotFileLeftEmptyOrCutShortIsWrittenAgainWhenItsCameraSendsItAgain() throws Exception {
        byte[] jpeg = jpeg(1000);
        EvidenceStore.Stored stored = store.put(jpeg, "cam-1");
        Path file = store.file(stored.sha256());
        byte[] whole = Files.readAllBytes(file);

        Files.write(file, new byte[0]); // what a power cut can leave of a file the kernel had not written out
        assertThatThrownBy(() -> store.fetch(stored.sha256(), "officer-a")).hasMessageContaining("does not decrypt");
        store.put(jpeg, "cam-1");
        assertThat(store.fetch(stored.sha256(), "officer-a")).hasValue(jpeg);

        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
        store.put(jpeg, "cam-1");
        assertThat(store.fetch(stored.sha256(), "officer-a")).hasValue(jpeg);
        try (var left = Files.list(file.getParent())) {
            assertThat(left).as("no temporary file left beside it").containsExactly(file);
        }
    }

    @Test
    void whatIsNotAJpegOrTooBigIsRefused() {
        assertThatThrownBy(() -> store.put("GIF89a....".getBytes(), "cam-1")).isInstanceOf(IntakeRejectedException.class)
                .hasMessageContaining("not a JPEG");
        assertThatThrownBy(() -> store.put(jpeg(5000), "cam-1")).isInstanceOf(IntakeRejectedException.class)
                .hasMessageContaining("over 4096 bytes");
        assertThat(store.fetch("../../etc/passwd", "officer-a")).isEmpty();
    }

    @Test
    void theRetentionSweepDeletesOldSnapshotsOnly() {
        EvidenceStore.Stored old = store.put(jpeg(100), "cam-1");
        clock.advance(Duration.ofDays(20));
        EvidenceStore.Stored recent = store.put(jpeg(200), "cam-1");
        clock.advance(Duration.ofDays(11));
        assertThat(store.deleteExpired()).isEqualTo(1);
        assertThat(Files.exists(store.file(old.sha256()))).isFalse();
        assertThat(store.fetch(old.sha256(), "officer-a")).isEmpty();
        assertThat(store.fetch(recent.sha256(), "officer-a")).isPresent();
    }

    private static byte[] jpeg(int size) {
        byte[] jpeg = new byte[size];
        new java.util.Random(size).nextBytes(jpeg);
        jpeg[0] = (byte) 0xFF;
        jpeg[1] = (byte) 0xD8;
        jpeg[2] = (byte) 0xFF;
        return jpeg;
    }
}

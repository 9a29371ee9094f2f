package vn.quangninh.cphub.cctv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubProperties;
import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;
import vn.quangninh.cphub.store.SealedBox;

/**
 * Camera snapshots, kept outside the queues: each JPEG is checked (magic bytes, size), addressed by the
 * sha256 of its bytes, encrypted with AES-256-GCM (the key {@code cphub.cctv.evidence.key}; a fresh IV per
 * file, the sha256 as associated data) under {@code <data-dir>/evidence/}, and deleted after
 * {@code cphub.cctv.evidence.retention}. Messages carry only the reference. Reading one back is recorded
 * ({@code evidence_fetch}: who, when) — the console allows it to the {@code evidence} role only.
 */
@Component
public class EvidenceStore {

    private static final Logger LOG = LoggerFactory.getLogger(EvidenceStore.class);

    /** A stored snapshot: what a message may carry. */
    public record Stored(String sha256, String mediaType, int size) {
    }

    private final Path dir;
    private final SealedBox box;
    private final int maxBytes;
    private final Duration retention;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    public EvidenceStore(HubProperties hub, JdbcTemplate jdbc, Clock clock,
                         @Value("${cphub.cctv.evidence.key}") String key,
                         @Value("${cphub.cctv.evidence.max-image-bytes}") int maxBytes,
                         @Value("${cphub.cctv.evidence.retention}") Duration retention) throws IOException {
        this.box = new SealedBox(key, "cphub.cctv.evidence.key (CPHUB_EVIDENCE_KEY)");
        this.dir = Files.createDirectories(hub.dataDir().resolve("evidence"));
        this.maxBytes = maxBytes;
        this.retention = retention;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Checks and stores one JPEG; the same bytes twice are one file. 413 / 415 when it is not one we take. */
    public Stored put(byte[] image, String deviceId) {
        if (image.length > maxBytes) {
            throw new IntakeRejectedException(Refusal.TOO_LARGE, "image_too_large", "A snapshot is over " + maxBytes + " bytes");
        }
        if (image.length < 4 || (image[0] & 0xff) != 0xFF || (image[1] & 0xff) != 0xD8 || (image[2] & 0xff) != 0xFF) {
            throw new IntakeRejectedException(Refusal.UNSUPPORTED, "not_a_jpeg", "A snapshot part is not a JPEG image");
        }
        String sha256 = sha256(image);
        Path file = file(sha256);
        try {
            if (!opens(file, sha256)) {
                write(file, encrypt(image, sha256));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot store a snapshot", e);
        }
        try {
            jdbc.update("insert into evidence (sha256, media_type, size_bytes, device_id, stored_at) values (?, ?, ?, ?, ?)",
                    sha256, "image/jpeg", image.length, deviceId, Timestamp.from(clock.instant()));
        } catch (DuplicateKeyException known) {
            jdbc.update("update evidence set stored_at = ? where sha256 = ?", Timestamp.from(clock.instant()), sha256);
        }
        return new Stored(sha256, "image/jpeg", image.length);
    }

    /** The snapshot's bytes, recorded as fetched by {@code user}; empty when unknown or past retention. */
    public Optional<byte[]> fetch(String sha256, String user) {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}") || !Files.exists(file(sha256))) {
            return Optional.empty();
        }
        try {
            byte[] image = decrypt(Files.readAllBytes(file(sha256)), sha256);
            jdbc.update("insert into evidence_fetch (sha256, username, fetched_at) values (?, ?, ?)", sha256, user,
                    Timestamp.from(clock.instant()));
            return Optional.of(image);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read snapshot " + sha256, e);
        }
    }

    /** Deletes the snapshots stored longer ago than the retention. */
    @Scheduled(fixedDelayString = "${cphub.cctv.evidence.sweep-interval}")
    public int deleteExpired() {
        Timestamp before = Timestamp.from(clock.instant().minus(retention));
        List<String> expired = jdbc.queryForList("select sha256 from evidence where stored_at < ?", String.class, before);
        for (String sha256 : expired) {
            try {
                Files.deleteIfExists(file(sha256));
                jdbc.update("delete from evidence where sha256 = ? and stored_at < ?", sha256, before);
            } catch (IOException e) {
                LOG.warn("Snapshot {} past retention could not be deleted ({})", sha256, e.getClass().getSimpleName());
            }
        }
        return expired.size();
    }

    /**
     * Whether the file of these bytes is already here and whole. A file a power cut left empty or cut short (or
     * one altered since) is written again when its camera sends the same snapshot.
     */
    private boolean opens(Path file, String sha256) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        try {
            decrypt(Files.readAllBytes(file), sha256);
            return true;
        } catch (IllegalStateException damaged) {
            LOG.warn("Snapshot {} on disk did not decrypt (cut short, altered, or sealed with another key); "
                    + "written again from the camera's copy", sha256);
            return false;
        }
    }

    /**
     * Writes the file whole or not at all (a temporary file renamed over it) and on disk before the alert that
     * names it is accepted: the file and its folder are synced, as the broker syncs the alert's message, so that
     * a power cut cannot leave an alert whose snapshot is an empty file (the kernel writes files out only after
     * up to 30 s).
     */
    private static void write(Path file, byte[] sealed) throws IOException {
        Path folder = file.getParent();
        boolean newFolder = !Files.isDirectory(folder);
        Files.createDirectories(folder);
        Path temp = Files.createTempFile(folder, "snapshot", ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(sealed);
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sync(folder);
        if (newFolder) {
            sync(folder.getParent());
        }
    }

    /** Syncs a folder, so that a file's new name in it survives a power cut (on Linux, where the hub runs). */
    private static void sync(Path folder) throws IOException {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    Path file(String sha256) {
        return dir.resolve(sha256.substring(0, 2)).resolve(sha256 + ".enc");
    }

    private byte[] encrypt(byte[] plain, String sha256) {
        return box.seal(plain, sha256);
    }

    private byte[] decrypt(byte[] stored, String sha256) {
        try {
            return box.open(stored, sha256);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("snapshot " + sha256 + " does not decrypt (wrong key or altered file)", e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

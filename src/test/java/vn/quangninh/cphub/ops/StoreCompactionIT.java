package vn.quangninh.cphub.ops;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/compact-store} ({@code store.StoreCompaction}) on a real H2 file written the way the hub's store
 * writes it (WRITE_DELAY=0, a commit per row, random UUID keys, so most of the file ends as dead chunks), run as
 * an operator runs it, against the packaged jar. The file shrinks and holds the same rows; while the store is
 * open (the hub running) the tool refuses and the file is not touched. In this package rather than store's so
 * that it sorts before ZeroLeaksIT, which must run last.
 */
class StoreCompactionIT {

    private static final int ROWS = 3000;

    @TempDir
    Path data;

    private String url;

    @BeforeEach
    void aStoreAfterManyCommits() throws Exception {
        Files.createDirectories(data.resolve("store"));
        url = "jdbc:h2:file:" + data.resolve("store/cphub") + ";WRITE_DELAY=0";
        try (Connection store = DriverManager.getConnection(url, "sa", "")) {
            try (Statement ddl = store.createStatement()) {
                ddl.execute("create table referral (referral_id varchar(36) primary key, incident_id varchar(36), body varchar(2000))");
                ddl.execute("create index referral_incident on referral (incident_id)");
            }
            store.setAutoCommit(false);
            try (PreparedStatement insert = store.prepareStatement("insert into referral values (?, ?, ?)")) {
                for (int i = 0; i < ROWS; i++) {
                    insert.setString(1, UUID.randomUUID().toString());
                    insert.setString(2, UUID.randomUUID().toString());
                    insert.setString(3, "x".repeat(1000));
                    insert.executeUpdate();
                    store.commit();
                }
            }
            try (Statement stop = store.createStatement()) {
                stop.execute("SHUTDOWN IMMEDIATELY"); // as a killed or stopped hub leaves it: no compaction on close
            }
        } catch (java.sql.SQLException closedByShutdown) {
            assertThat(closedByShutdown.getErrorCode()).isEqualTo(org.h2.api.ErrorCode.DATABASE_IS_CLOSED);
        }
    }

    @Test
    void shrinksAStoppedStoreAndKeepsItsRows() throws Exception {
        Path file = data.resolve("store/cphub.mv.db");
        long before = Files.size(file);
        String checksumBefore = checksum();

        Run run = compactStore();

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("MB before").contains("MB after");
        assertThat(Files.size(file)).as("the file after compaction, against %d bytes before", before).isLessThan(before / 4);
        assertThat(checksum()).isEqualTo(checksumBefore);
    }

    @Test
    void refusesWhileTheStoreIsOpen() throws Exception {
        Path file = data.resolve("store/cphub.mv.db");
        try (Connection hubsConnection = DriverManager.getConnection(url, "sa", "")) {
            long before = Files.size(file);

            Run run = compactStore();

            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.output()).contains("The store is in use: stop the hub first. Nothing was changed.");
            assertThat(Files.size(file)).isEqualTo(before);
            assertThat(hubsConnection.isValid(1)).isTrue();
        }
    }

    @Test
    void saysWhereItLookedWhenThereIsNoStore(@TempDir Path empty) throws Exception {
        Run run = compactStore(empty);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("No H2 store at " + empty.resolve("store/cphub.mv.db"));
    }

    private String checksum() throws Exception {
        try (Connection store = DriverManager.getConnection(url, "sa", "");
             Statement query = store.createStatement();
             ResultSet rows = query.executeQuery("select count(*), sum(length(body)), max(referral_id), min(incident_id) from referral")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(ROWS);
            return rows.getInt(1) + "/" + rows.getLong(2) + "/" + rows.getString(3) + "/" + rows.getString(4);
        }
    }

    private record Run(int exit, String output) {
    }

    private Run compactStore() throws Exception {
        return compactStore(data);
    }

    private static Run compactStore(Path dataDir) throws Exception {
        Process process = new ProcessBuilder("bin/compact-store", dataDir.toString()).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("bin/compact-store finished").isTrue();
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}

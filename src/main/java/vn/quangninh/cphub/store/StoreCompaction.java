package vn.quangninh.cphub.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.h2.api.ErrorCode;

/**
 * Command line ({@code bin/compact-store}): rewrites the embedded H2 store's file with only its live pages, while
 * the hub is stopped. With {@code WRITE_DELAY=0} H2 never compacts the file as it runs, and after a backlog most
 * of it is dead chunks (README, "The store's disk"). Uses H2's own {@code SHUTDOWN COMPACT}; nothing of the
 * store's content changes. A store that is open (the hub running) is refused by H2's file lock and left as it is.
 */
public final class StoreCompaction {

    private StoreCompaction() {
    }

    public static void main(String[] args) throws SQLException {
        if (args.length != 1) {
            System.err.println("usage: bin/compact-store [DATA_DIR]");
            System.exit(2);
        }
        Path file = Path.of(args[0], "store", "cphub.mv.db");
        if (!Files.isRegularFile(file)) {
            System.err.println("No H2 store at " + file + " (the hub's data folder is CPHUB_DATA_DIR, by default $CPHUB_HOME/data)");
            System.exit(1);
        }
        long before = size(file);
        String url = "jdbc:h2:file:" + Path.of(args[0], "store", "cphub").toAbsolutePath() + ";IFEXISTS=TRUE";
        String user = System.getenv().getOrDefault("CPHUB_DB_USER", "sa");
        String password = System.getenv().getOrDefault("CPHUB_DB_PASSWORD", "");
        boolean compacted = false;
        try (Connection store = DriverManager.getConnection(url, user, password); Statement compact = store.createStatement()) {
            compact.execute("SHUTDOWN COMPACT");
            compacted = true;
        } catch (SQLException e) {
            if (e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
                System.err.println("The store is in use: stop the hub first. Nothing was changed.");
                System.exit(1);
            }
            // closing the statement and connection of a database that SHUTDOWN has closed: expected, nothing else is
            if (!compacted || e.getErrorCode() != ErrorCode.DATABASE_IS_CLOSED) {
                throw e;
            }
        }
        System.out.printf("%s: %d MB before, %d MB after%n", file, before / 1_048_576, size(file) / 1_048_576);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the size of " + file, e);
        }
    }
}

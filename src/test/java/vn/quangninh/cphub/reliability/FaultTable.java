package vn.quangninh.cphub.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The reliability suite's one table: every fault (and the abuse corpus) adds its row to
 * {@code target/reliability-figures.md}, newest last; {@code .ci/run} prints it at the end of the build.
 * Lost and two-effect counts must read 0 — each test asserts that itself; the table is what people read.
 */
final class FaultTable {

    static final Path FILE = Path.of("target", "reliability-figures.md");
    private static final String HEADER = "| when (UTC) | fault | taken | delivered | lost | keys with two effects | refused / failed meanwhile | notes |\n"
            + "|---|---|---|---|---|---|---|---|\n";

    private FaultTable() {
    }

    static synchronized void add(String fault, int taken, int delivered, int lost, long twoEffects, int refused, String notes) {
        String row = String.format("| %s | %s | %d | %d | %d | %d | %d | %s |%n", Instant.now().truncatedTo(ChronoUnit.SECONDS),
                fault, taken, delivered, lost, twoEffects, refused, notes);
        try {
            Files.createDirectories(FILE.getParent());
            if (!Files.exists(FILE)) {
                Files.writeString(FILE, HEADER, StandardCharsets.UTF_8);
            }
            Files.writeString(FILE, row, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + FILE, e);
        }
    }
}

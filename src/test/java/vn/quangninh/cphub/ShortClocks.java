package vn.quangninh.cphub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A copy of the project's config/ in which one Decree 56 clock of clocks.yaml runs out sooner, for a hub
 * ({@code CPHUB_CONFIG_DIR}, {@code cphub.config-dir}) whose test waits for a real deadline instead of moving time.
 */
public final class ShortClocks {

    private ShortClocks() {
    }

    /** config/ copied, with {@code clock}'s target set to {@code runsOutAfter} (an ISO-8601 duration such as PT5S). */
    public static Path configWith(String clock, String runsOutAfter) throws IOException {
        Path copy = Files.createTempDirectory("cphub-clocks-config");
        Path config = Path.of("config");
        try (Stream<Path> files = Files.walk(config)) {
            for (Path file : files.toList()) {
                Path to = copy.resolve(config.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path clocks = copy.resolve("clocks.yaml");
        Matcher target = Pattern.compile("(?m)^(  " + Pattern.quote(clock) + ":\\n(?:    .*\\n)*?    target: )\\S+$")
                .matcher(Files.readString(clocks));
        if (!target.find()) {
            throw new IllegalStateException("config/clocks.yaml has no clock " + clock + " with a target");
        }
        Files.writeString(clocks, target.replaceFirst("$1" + runsOutAfter));
        return copy;
    }
}

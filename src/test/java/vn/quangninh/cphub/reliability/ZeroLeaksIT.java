package vn.quangninh.cphub.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The privacy check of every build, run last (failsafe runs its ITs in alphabetical order — hence the name —
 * and all of them after the unit tests): the synthetic children's names, birth dates and phone
 * numbers the tests send — collected from the tests' sources and the connectors' examples, so a new test's
 * data is covered without listing it here — must appear in no log the build wrote: the hub's output in every
 * unit test, and the logs of the packaged hubs the process tests ran.
 */
class ZeroLeaksIT {

    private static final Pattern JSON_NAME = Pattern.compile("\"name\\\\?\"\\s*:\\s*\\\\?\"([A-Z][^\"\\\\]+ [^\"\\\\]+)\\\\?\"");
    private static final Pattern JSON_BIRTH_DATE = Pattern.compile("\"birthDate\\\\?\"\\s*:\\s*\\\\?\"(\\d{4}-\\d{2}-\\d{2})");
    private static final Pattern PHONE = Pattern.compile("(?<![0-9])(0[35789]\\d{8})(?![0-9])");
    /** HL7 PID: 5 = family^given^middle, 7 = birth date. */
    private static final Pattern PID = Pattern.compile("PID\\|[^|\\r\\n]*\\|[^|\\r\\n]*\\|[^|\\r\\n]*\\|[^|\\r\\n]*\\|([A-Za-z][^|\\r\\n\"]*)\\|[^|\\r\\n]*\\|(\\d{8})");

    @Test
    void noSyntheticChildsIdentityIsInAnyLog() throws IOException {
        Set<String> seeds = seeds();
        assertThat(seeds).as("seeded names, birth dates and numbers found").hasSizeGreaterThan(10);

        List<Path> logs = new ArrayList<>();
        for (String dir : List.of("target/surefire-reports", "target/failsafe-reports", "target")) {
            if (Files.isDirectory(Path.of(dir))) {
                try (Stream<Path> files = Files.list(Path.of(dir))) {
                    files.filter(f -> f.getFileName().toString().endsWith("-output.txt") || f.getFileName().toString().endsWith(".log"))
                            .filter(f -> !f.getFileName().toString().contains("ZeroLeaksIT"))
                            .forEach(logs::add);
                }
            }
        }
        assertThat(logs).as("logs of this build to scan").isNotEmpty();
        List<String> leaks = new ArrayList<>();
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            for (String seed : seeds) {
                if (text.contains(seed)) {
                    leaks.add(log + ": " + seed);
                }
            }
        }
        System.out.printf("privacy scan: %d seeded values, %d log files, %d leaks%n", seeds.size(), logs.size(), leaks.size());
        assertThat(leaks).as("a synthetic child's name, birth date or number in a log").isEmpty();
    }

    /** What the tests send as a child's (or caller's) identity. */
    static Set<String> seeds() throws IOException {
        Set<String> seeds = new TreeSet<>();
        List<Path> sources = new ArrayList<>();
        for (String root : List.of("src/test", "connectors")) {
            try (Stream<Path> files = Files.walk(Path.of(root))) {
                files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith("ZeroLeaksIT.java")).forEach(sources::add);
            }
        }
        for (Path source : sources) {
            String text = Files.readString(source, StandardCharsets.ISO_8859_1);
            collect(JSON_NAME, text, 1, seeds);
            collect(JSON_BIRTH_DATE, text, 1, seeds);
            collect(PHONE, text, 1, seeds);
            Matcher pid = PID.matcher(text);
            while (pid.find()) {
                seeds.add(pid.group(1).replace('^', ' ').trim().replaceAll(" +", " "));
                seeds.add(pid.group(1));
                seeds.add(pid.group(2));
            }
        }
        seeds.removeIf(s -> s.length() < 8); // too short to be anyone's identity
        return seeds;
    }

    private static void collect(Pattern pattern, String text, int group, Set<String> into) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            into.add(m.group(group));
        }
    }
}

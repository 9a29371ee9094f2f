package vn.quangninh.cphub.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.HubProcess;
import vn.quangninh.cphub.PartnerStub;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hub built for Java 17, started on a newer JDK from the AOT cache that {@code bin/cds-archive} writes there (JDK
 * 24 or later: JEP 483 and 514), as README "Start-up" offers operators: a whole hub, every incident delivered once.
 * {@code -XX:AOTMode=on} makes the JVM refuse to start unless it uses the cache, so a start that passes here used it.
 * Skipped where no such JDK is under /usr/lib/jvm (this project's machines have Temurin 25 there).
 */
class AotCacheStartIT extends PackagedHubFault {

    private static final Path APP = Path.of("target", "cphub-aot");

    @Test
    void theHubStartedOnJava25FromItsAotCacheTakesAndDeliversEveryIncident() throws Exception {
        Optional<Path> jdk = newerJdk();
        assumeTrue(jdk.isPresent(), "no JDK 24 or later under /usr/lib/jvm");
        Path java = jdk.get().resolve("bin").resolve("java");

        runCdsArchive(APP, Path.of("target", "aot-cache.log"), java.getParent() + ":");
        assertThat(APP.resolve("cphub.aot")).isNotEmptyFile();

        police.start();
        PartnerStub.answer(police, aResponse().withStatus(200), aResponse().withStatus(200));
        Map<String, String> settings = PartnerStub.hubSettings(police);
        hub = new HubProcess(Files.createTempDirectory("cphub-aot-start"), settings)
                .java(java)
                .jvmOptions(List.of("-XX:AOTCache=" + APP.resolve("cphub.aot"), "-XX:AOTMode=on",
                        "-XX:+ExitOnOutOfMemoryError", "-Xmx512m"))
                .jar(APP.resolve("cphub.jar")).start();

        assertTenIncidentsDeliveredOnce();
        assertThat(Files.readString(hub.log())).as("the JVM's own line when it cannot use the cache")
                .doesNotContain("Unable to use AOT cache");
    }

    /** A JDK of feature release 24 or later under /usr/lib/jvm, read from its {@code release} file. */
    private static Optional<Path> newerJdk() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.filter(dir -> Files.isExecutable(dir.resolve("bin/java")) && feature(dir) >= 24).findFirst();
        }
    }

    private static int feature(Path jdk) {
        try {
            return Files.readAllLines(jdk.resolve("release")).stream()
                    .filter(line -> line.startsWith("JAVA_VERSION="))
                    .map(line -> line.replaceAll("JAVA_VERSION=\"(\\d+).*", "$1"))
                    .map(Integer::parseInt)
                    .findFirst().orElse(0);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}

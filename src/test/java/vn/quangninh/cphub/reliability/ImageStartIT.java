package vn.quangninh.cphub.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.HubProcess;
import vn.quangninh.cphub.PartnerStub;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub started as the image starts it: unpacked, from the class-data-sharing archive that {@code bin/cds-archive}
 * writes (the Dockerfile's first stage runs the same script), with the JVM options of the Dockerfile's ENTRYPOINT. A
 * faster start shortens the time a restarted hub refuses reports (README, "Start-up"); this checks that such a start
 * is a whole hub. {@code -Xshare:on} makes the JVM refuse to start unless it maps the archive and finds it made from
 * these very jars, so a start that passes here used it. The build writes the archive before the process tests
 * (pom.xml, exec {@code cds-archive}), which then all start from it ({@code HubProcess}); without it this test makes it.
 */
class ImageStartIT extends PackagedHubFault {

    private static final Path APP = Path.of("target", "cphub-cds");

    @Test
    void theHubStartedFromItsClassArchiveTakesAndDeliversEveryIncident() throws Exception {
        if (!HubProcess.archiveIsCurrent()) { // the build makes it before the process tests, unless -Dexec.skip=true
            runCdsArchive(APP, Path.of("target", "cds-archive.log"), "");
        }
        assertThat(APP.resolve("cphub.jsa")).isNotEmptyFile();
        assertThat(HubProcess.archiveIsCurrent()).as("the archive made of target/cphub.jar").isTrue();

        List<String> jvm = new ArrayList<>(HubProcess.imageJvmOptions());
        assertThat(jvm).as("the image starts from the archive").contains("-XX:SharedArchiveFile=" + APP.resolve("cphub.jsa"));
        assertThat(HubProcess.imageJar()).isEqualTo(APP.resolve("cphub.jar"));
        jvm.add("-Xshare:on");
        jvm.add("-Xmx512m");
        police.start();
        PartnerStub.answer(police, aResponse().withStatus(200), aResponse().withStatus(200));
        Map<String, String> settings = PartnerStub.hubSettings(police);
        hub = new HubProcess(Files.createTempDirectory("cphub-image-start"), settings)
                .jvmOptions(jvm).jar(HubProcess.imageJar()).start();

        assertTenIncidentsDeliveredOnce();
        assertThat(Files.readString(hub.log())).doesNotContain("Unable to use shared archive");
    }
}

package vn.quangninh.cphub.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.HubProcess;
import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.PartnerStub;
import vn.quangninh.cphub.SyntheticIncidents;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.model.Referral;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
            ProcessBuilder archiving = new ProcessBuilder("bin/cds-archive", "target/cphub.jar", APP.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(Path.of("target", "cds-archive.log").toFile());
            archiving.environment().put("CDS_HTTP_PORT", String.valueOf(HubProcess.freePort()));
            archiving.environment().put("CDS_HL7_PORT", String.valueOf(HubProcess.freePort()));
            archiving.environment().put("CDS_SIP_PORT", String.valueOf(HubProcess.freePort()));
            Process archive = archiving.start();
            assertThat(archive.waitFor(6, TimeUnit.MINUTES)).as("bin/cds-archive ends within 6 minutes").isTrue();
            assertThat(archive.exitValue()).as("bin/cds-archive's exit code; see target/cds-archive.log").isZero();
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

        PartnerClient partner = new PartnerClient(hub.port());
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            String eventId = SyntheticIncidents.newEventId();
            var incident = SyntheticIncidents.incident(eventId);
            incident.put("priority", i == 9 ? 1 : 3); // the last through the emergency lane
            assertThat(partner.post(incident.toString(), Duration.ofSeconds(30)).statusCode()).isEqualTo(202);
            expected.add(Referral.idFor(Incident.idFor(PartnerClient.HOTLINE, eventId), "police").toString());
        }
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> PartnerStub.deliveredToPolice(police).keySet().containsAll(expected));
        Map<String, Set<String>> bodies = PartnerStub.deliveredToPolice(police);
        assertThat(bodies.keySet()).as("police got these ten and nothing else").isEqualTo(expected);
        assertThat(bodies.values()).as("each with one body").allSatisfy(body -> assertThat(body).hasSize(1));
        assertThat(Files.readString(hub.log())).doesNotContain("Unable to use shared archive");
    }
}

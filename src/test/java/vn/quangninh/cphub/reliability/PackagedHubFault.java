package vn.quangninh.cphub.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterEach;

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
 * What every fault of the reliability suite sets up: one WireMock stub standing for police intake and every
 * agency, the packaged hub (target/cphub.jar, or the same from its class archive: HubProcess) on a new data folder
 * delivering to it, both stopped afterwards.
 */
abstract class PackagedHubFault {

    protected final WireMockServer police = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    protected HubProcess hub;

    @AfterEach
    void stopHubAndPolice() throws Exception {
        if (hub != null) {
            hub.close();
        }
        police.stop();
    }

    /** Police answers {@code intake}, the agencies 200; the hub starts with {@code settings} on top. */
    protected HubProcess startHub(String name, ResponseDefinitionBuilder intake, Map<String, String> settings) throws Exception {
        police.start();
        PartnerStub.answer(police, intake, aResponse().withStatus(200));
        Map<String, String> all = PartnerStub.hubSettings(police);
        all.putAll(settings);
        hub = new HubProcess(Files.createTempDirectory(name), all).start();
        return hub;
    }

    protected HubProcess startHub(String name, Map<String, String> settings) throws Exception {
        return startHub(name, aResponse().withStatus(200), settings);
    }

    /** When the hub logged a line containing {@code text} (its log's lines start with their UTC timestamp). */
    protected List<Instant> logged(String text) throws java.io.IOException {
        return Files.readString(hub.log()).lines().filter(line -> line.contains(text))
                .map(line -> Instant.parse(line.substring(0, line.indexOf(' ')))).toList();
    }

    /**
     * A store fault between {@code failed} and {@code back}: the store's circuit (store.StoreCircuit) opened within
     * {@code opensWithin} of the failure; once the tries under way when it opened had ended ({@code triesEndWithin}
     * after it), no triage try failed until the store was back; and it closed within {@code closesWithin} of the
     * store's return. Before the circuit, each waiting incident was tried and rolled back again and again until the
     * broker's last attempt sent it to cphub.dlq.broker.
     */
    protected void assertTriageWaitedForTheStore(Instant failed, Duration opensWithin, Duration triesEndWithin,
                                                 Instant back, Duration closesWithin) throws java.io.IOException {
        List<Instant> opened = logged("The store does not take a commit (");
        org.assertj.core.api.Assertions.assertThat(opened).as("the circuit opened within " + opensWithin + " of the failure at " + failed)
                .isNotEmpty().first().matches(at -> at.isBefore(failed.plus(opensWithin)));
        List<Instant> triageFailures = logged("Route triage failed on incident");
        org.assertj.core.api.Assertions.assertThat(triageFailures).as("triage tried (and failed) once the store had failed")
                .isNotEmpty();
        Instant triesEnded = opened.get(0).plus(triesEndWithin);
        org.assertj.core.api.Assertions.assertThat(triageFailures)
                .as("triage tries that failed after those under way when the circuit opened (" + opened.get(0)
                        + ") had ended, until the store came back")
                .noneMatch(at -> at.isAfter(triesEnded) && at.isBefore(back));
        org.assertj.core.api.Assertions.assertThat(logged("The store takes commits again after"))
                .as("the circuit closed within " + closesWithin + " of the store's return at " + back)
                .anyMatch(at -> at.isAfter(back) && at.isBefore(back.plus(closesWithin)));
    }

    /**
     * No route's error handler failed itself (Camel's fatal fallback then rolls back whatever the handler meant to
     * do): a sink's journey row written while the store was away did, and a failed probe then spent its attempt.
     */
    protected void assertNoErrorHandlerFailed() throws java.io.IOException {
        org.assertj.core.api.Assertions.assertThat(logged("FatalFallbackErrorHandler"))
                .as("error handlers that failed themselves (Camel's FatalFallbackErrorHandler in the hub's log)").isEmpty();
    }

    /**
     * Ten incidents posted to the hub, the last through the emergency lane: police gets these ten and nothing else,
     * each with one body.
     */
    protected void assertTenIncidentsDeliveredOnce() throws Exception {
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
    }

    /**
     * Runs {@code bin/cds-archive} on target/cphub.jar into {@code app} on free training ports, its output in
     * {@code log}; {@code pathPrefix} goes before the PATH (another JDK's bin/ and ':', or nothing).
     */
    protected static void runCdsArchive(Path app, Path log, String pathPrefix) throws Exception {
        ProcessBuilder archiving = new ProcessBuilder("bin/cds-archive", "target/cphub.jar", app.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        archiving.environment().put("PATH", pathPrefix + System.getenv("PATH"));
        archiving.environment().put("CDS_HTTP_PORT", String.valueOf(HubProcess.freePort()));
        archiving.environment().put("CDS_HL7_PORT", String.valueOf(HubProcess.freePort()));
        archiving.environment().put("CDS_SIP_PORT", String.valueOf(HubProcess.freePort()));
        Process archive = archiving.start();
        assertThat(archive.waitFor(6, TimeUnit.MINUTES)).as("bin/cds-archive ends within 6 minutes").isTrue();
        assertThat(archive.exitValue()).as("bin/cds-archive's exit code; see " + log).isZero();
    }
}

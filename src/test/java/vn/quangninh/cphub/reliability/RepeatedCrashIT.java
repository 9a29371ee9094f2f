package vn.quangninh.cphub.reliability;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.HubProcess;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault 1 of the reliability suite: the packaged hub (journal and store on disk) is killed with kill -9
 * {@value #ROUNDS} times under the {@link LoadDriver}'s load and restarted each time on the same data.
 * Senders see errors while it is down (what they were not told was taken is theirs to resend); everything
 * the hub took must arrive — every incident at police, one distinct key each, a redelivery only with the
 * same body; every call event in the call records — and the figures are printed.
 */
class RepeatedCrashIT {

    private static final int ROUNDS = 3;
    private static final Duration LOAD_PER_ROUND = Duration.ofSeconds(6);

    private final WireMockServer police = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private HubProcess hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        police.stop();
    }

    @Test
    void everythingAcceptedArrivesThoughTheHubIsKilledAgainAndAgain() throws Exception {
        police.start();
        police.stubFor(post(urlEqualTo("/intake")).willReturn(aResponse().withStatus(200).withFixedDelay(20)));
        police.stubFor(post(urlMatching("/agency/.*")).willReturn(aResponse().withStatus(200)));
        Map<String, String> settings = new HashMap<>(HubProcess.agencyWebhooks(police.baseUrl()));
        settings.put("POLICE_INTAKE_URL", police.baseUrl() + "/intake");
        settings.put("CPHUB_BROKER_REDELIVERY_DELAY", "200ms");
        settings.put("CPHUB_BROKER_MAX_REDELIVERY_DELAY", "2s");
        hub = new HubProcess(Files.createTempDirectory("cphub-kills"), settings).start();

        LoadDriver load = new LoadDriver(hub, police);
        load.start();
        for (int round = 0; round < ROUNDS; round++) {
            Thread.sleep(LOAD_PER_ROUND.toMillis());
            hub.kill();
            Thread.sleep(1000); // senders meet a dead hub
            hub.start();
        }
        Thread.sleep(LOAD_PER_ROUND.toMillis());
        load.stop();

        LoadDriver.Figures figures = load.settle("kill -9 of the packaged hub x" + ROUNDS + " during load");
        assertThat(figures.lost()).as("every accepted incident reached police").isZero();
        assertThat(figures.twoEffects()).as("no key delivered with two different effects").isZero();
        assertThat(figures.storedCalls()).as("every call event answered 200 is in the call records").isGreaterThanOrEqualTo(figures.acceptedCalls());
        assertThat(load.refused("http")).as("senders met the dead hub").isPositive();
    }
}

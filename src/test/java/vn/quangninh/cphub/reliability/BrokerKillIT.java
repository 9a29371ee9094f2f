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
import vn.quangninh.cphub.StandaloneBroker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault 2 of the reliability suite: the standalone Artemis broker the hub uses is killed with kill -9 under
 * the {@link LoadDriver}'s load and restarted; the hub reconnects by itself. While the broker is down a
 * sender either waits for the reconnection or gets a retryable answer (503, AE, SIP 500 — which of the two
 * depends on where its send was); nothing the hub took is lost. ExternalBrokerIT checks the retryable
 * answers one by one.
 */
class BrokerKillIT {

    private final WireMockServer police = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private StandaloneBroker broker;
    private HubProcess hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (broker != null) {
            broker.close();
        }
        police.stop();
    }

    @Test
    void nothingTakenIsLostWhenTheBrokerIsKilledUnderLoad() throws Exception {
        police.start();
        police.stubFor(post(urlEqualTo("/intake")).willReturn(aResponse().withStatus(200)));
        police.stubFor(post(urlMatching("/agency/.*")).willReturn(aResponse().withStatus(200)));
        broker = new StandaloneBroker(Files.createTempDirectory("cphub-artemis-kill")).createAndStart();
        Map<String, String> settings = new HashMap<>(HubProcess.agencyWebhooks(police.baseUrl()));
        settings.put("CPHUB_BROKER_URL", broker.url() + "?retryInterval=500");
        settings.put("CPHUB_BROKER_USER", StandaloneBroker.USER);
        settings.put("CPHUB_BROKER_PASSWORD", StandaloneBroker.PASSWORD);
        settings.put("POLICE_INTAKE_URL", police.baseUrl() + "/intake");
        hub = new HubProcess(Files.createTempDirectory("cphub-broker-kill"), settings).start();

        LoadDriver load = new LoadDriver(hub, police);
        load.start();
        Thread.sleep(Duration.ofSeconds(6).toMillis());
        broker.kill();
        Thread.sleep(Duration.ofSeconds(4).toMillis()); // senders meet a hub without its broker
        broker.start();
        Thread.sleep(Duration.ofSeconds(10).toMillis());
        load.stop();

        LoadDriver.Figures figures = load.settle("kill -9 of the standalone Artemis broker during load, restarted");
        assertThat(figures.lost()).as("every accepted incident reached police").isZero();
        assertThat(figures.twoEffects()).as("no key delivered with two different effects").isZero();
        assertThat(figures.storedCalls()).as("every call event answered 200 is in the call records").isGreaterThanOrEqualTo(figures.acceptedCalls());
    }
}

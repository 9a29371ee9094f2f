package vn.quangninh.cphub.reliability;

import java.nio.file.Files;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterEach;

import vn.quangninh.cphub.HubProcess;
import vn.quangninh.cphub.PartnerStub;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

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
}

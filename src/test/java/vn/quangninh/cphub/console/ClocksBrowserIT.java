package vn.quangninh.cphub.console;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import vn.quangninh.cphub.Browser;
import vn.quangninh.cphub.HubProcess;
import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.PartnerStub;
import vn.quangninh.cphub.SyntheticIncidents;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Clocks tab of the CP Hub page as operators meet it after an outage, when more clocks are late than the page
 * lists ({@link vn.quangninh.cphub.clock.ClocksEndpoint#LISTED}): the packaged hub, with config/clocks.yaml's
 * {@code acknowledge} clock cut to one second so that every referral's clock breaches at once (partners never
 * report receipt here), {@value #INCIDENTS} incidents, each referred to police and to the commune officer, and
 * Debian's headless Chromium. The counts give every late clock, the table the first 500, and the page says so: an
 * operator must not take the table for the whole list. Ids and times only, no child's data. Screenshots:
 * target/browser/.
 */
class ClocksBrowserIT {

    /** Two late clocks each (police's and the commune officer's acknowledgement): more than the page lists. */
    private static final int INCIDENTS = 260;
    private static final int LISTED = 500;

    private static final WireMockServer PARTNERS = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private static HubProcess hub;

    @BeforeAll
    static void startHub() throws Exception {
        PARTNERS.start();
        PartnerStub.answer(PARTNERS, aResponse().withStatus(200), aResponse().withStatus(200));
        Map<String, String> settings = new java.util.HashMap<>(PartnerStub.hubSettings(PARTNERS));
        settings.put("CPHUB_CONFIG_DIR", vn.quangninh.cphub.ShortClocks.configWith("acknowledge", "PT1S").toString());
        settings.put("CPHUB_CLOCK_COUNT_INTERVAL", "2s");
        hub = new HubProcess(Files.createTempDirectory("cphub-clocks-browser"), settings).start();
    }

    @AfterAll
    static void stopHub() throws Exception {
        if (hub != null) {
            hub.close();
        }
        PARTNERS.stop();
    }

    @Test
    void theClocksTabCountsEveryLateClockAndSaysItsTableListsOnlyTheFirst() throws Exception {
        PartnerClient client = new PartnerClient(hub.port());
        for (int i = 0; i < INCIDENTS; i++) {
            assertThat(client.post(SyntheticIncidents.incident(SyntheticIncidents.newEventId()).toString()).statusCode())
                    .isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> clocksReport().get("breached").asLong() >= 2L * INCIDENTS);
        long breached = clocksReport().get("breached").asLong();
        assertThat(clocksReport().get("nearBreach").asLong()).as("nothing left before its deadline").isZero();

        for (String role : List.of("operator", "viewer")) {
            try (Browser browser = new Browser()) {
                browser.signIn(base(), role, role + "-dev");
                browser.driver().get(base() + "/actuator/hawtio/cphub");
                browser.waitFor(By.xpath("//button[contains(@class,'tabs__link')][normalize-space(.)='Clocks']")).click();
                browser.waitFor(By.cssSelector("p.cphub-clocks-listed"));
                String text = browser.pageText();
                assertThat(text).as(role + " sees the counts of every clock").contains("breached " + breached);
                assertThat(browser.driver().findElement(By.cssSelector("p.cphub-clocks-listed")).getText())
                        .as(role + " is told the table is not the whole list")
                        .contains("The table lists " + LISTED + " of the " + breached + " clocks");
                assertThat(browser.driver().findElements(By.cssSelector("table[aria-label='Clocks'] tbody tr")))
                        .as(role + "'s table").hasSize(LISTED);
                assertThat(text).as("ids and times only").doesNotContain("Synthetic Child", "Synthetic Street", "0900000001");
                browser.screenshot(role + "-cphub-clocks-listed");
                assertThat(browser.refusals()).as(role + "'s console was refused nothing").isEmpty();
                assertThat(browser.consoleErrors()).as(role + "'s browser console").isEmpty();
            }
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + hub.port();
    }

    private static JsonNode clocksReport() throws IOException, InterruptedException {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/actuator/clocks"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("operator:operator-dev"
                        .getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(answer.body());
    }
}

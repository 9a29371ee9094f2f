package vn.quangninh.cphub.console;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import vn.quangninh.cphub.Browser;
import vn.quangninh.cphub.HubProcess;
import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.PartnerStub;
import vn.quangninh.cphub.SyntheticIncidents;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.model.Referral;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hawtio as operators meet it: the packaged hub, Debian's headless Chromium, the login form, the development
 * users of each role. The Camel routes and their diagrams render for every role, and nothing the console asks
 * the hub for is refused (Hawtio stayed blank for days while only Jolokia was tested: its permission batch
 * was over the body cap), and so does the CP Hub page (the hub's Hawtio plugin: flows, partners). An operator
 * retries a dead-lettered referral from the CP Hub page with a reason, and from Hawtio's JMX tree, and police
 * receives it again with the same Idempotency-Key; the journey and the actions show it; a viewer is offered no
 * way to retry and sees no message content. Screenshots: target/browser/.
 */
class HawtioBrowserIT {

    private static final WireMockServer POLICE = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private static HubProcess hub;

    @BeforeAll
    static void startHub() throws Exception {
        POLICE.start();
        PartnerStub.answer(POLICE, aResponse().withStatus(422), aResponse().withStatus(200));
        hub = new HubProcess(Files.createTempDirectory("cphub-browser"), PartnerStub.hubSettings(POLICE)).start();
    }

    @AfterAll
    static void stopHub() throws Exception {
        if (hub != null) {
            hub.close();
        }
        POLICE.stop();
    }

    private static String base() {
        return "http://127.0.0.1:" + hub.port();
    }

    @Test
    void everyRoleSeesTheCamelRoutesAndTheirDiagramsAndNothingIsRefused() throws Exception {
        for (String role : List.of("viewer", "operator", "admin")) {
            try (Browser browser = new Browser()) {
                browser.signIn(base(), role, role + "-dev");
                browser.driver().get(base() + "/actuator/hawtio/camel/routes");
                browser.waitForText("Started"); // the routes table, after the tree
                assertThat(browser.pageText()).as(role + " sees the routes table").contains("triage", "partner-api", "Started");
                browser.screenshot(role + "-camel-routes");

                browser.driver().findElements(By.xpath("//*[normalize-space(text())='triage']")).get(0).click();
                browser.waitForText("type=routes,name=\"triage\""); // the route's own tabs, not the folder's
                browser.waitFor(By.xpath("//*[normalize-space(text())='Route Diagram']")).click();
                browser.waitForPresent(By.cssSelector(".react-flow__node"));
                assertThat(browser.pageText()).as(role + "'s diagram of triage").doesNotContain("error occurred during drawing");
                assertThat(browser.driver().findElements(By.cssSelector(".react-flow__node")).size())
                        .as(role + " sees triage's steps drawn").isGreaterThan(10);
                browser.screenshot(role + "-triage-diagram");

                // the CP Hub page: every queue, every partner's circuits
                browser.driver().get(base() + "/actuator/hawtio/cphub");
                browser.waitFor(By.cssSelector("tr[data-queue='cphub.deliver.police']"));
                assertThat(browser.pageText()).as(role + " sees CP Hub's flows").contains("Signed in as " + role, "cphub.dlq.police");
                browser.screenshot(role + "-cphub-flows");
                tab(browser, "Partners");
                browser.waitFor(By.cssSelector("tr[data-partner='police']"));
                assertThat(browser.driver().findElement(By.cssSelector("tr[data-partner='police']")).getText()).contains("closed");
                browser.screenshot(role + "-cphub-partners");

                assertThat(browser.refusals()).as("what " + role + "'s console asked the hub for and was refused").isEmpty();
                assertThat(browser.answers().stream().filter(a -> a.url().contains("/jolokia")).count())
                        .as(role + "'s console talked to Jolokia").isGreaterThan(0);
                assertThat(browser.consoleErrors()).as(role + "'s browser console").isEmpty();
            }
        }
    }

    @Test
    void anOperatorRetriesFromTheCpHubConsoleWithAReasonAndAViewerCannot() throws Exception {
        String key = deadLetteredReferral();
        try (Browser viewer = new Browser()) {
            viewer.signIn(base(), "viewer", "viewer-dev");
            openDeadLetters(viewer, key);
            assertThat(viewer.driver().findElements(By.xpath("//button[normalize-space(.)='Retry' or normalize-space(.)='Retry all' "
                    + "or normalize-space(.)='Discard' or normalize-space(.)='View' or normalize-space(.)='Move to emergency lane']")))
                    .as("a viewer is offered no action").isEmpty();
            assertThat(viewer.pageText()).as("no message content for a viewer").doesNotContain("Synthetic Child", "Synthetic Street");
            viewer.screenshot("viewer-cphub-dead-letters");
            assertThat(viewer.refusals()).isEmpty();
        }
        try (Browser admin = new Browser()) {
            admin.signIn(base(), "admin", "admin-dev");
            openDeadLetters(admin, key).findElement(By.xpath(".//button[normalize-space(.)='View']")).click();
            WebElement dialog = admin.waitFor(By.cssSelector("[role=dialog]"));
            dialog.findElement(By.id("cphub-reason")).sendKeys("what did police refuse? (browser test)");
            dialog.findElement(By.xpath(".//button[normalize-space(.)='View']")).click();
            admin.waitFor(By.cssSelector("pre.cphub-content"));
            assertThat(admin.driver().findElement(By.cssSelector("pre.cphub-content")).getText())
                    .as("an admin sees the referral as police was to receive it").contains(key, "Synthetic Child Alpha");
            admin.screenshot("admin-cphub-dead-letter-content");
            assertThat(admin.refusals()).isEmpty();
        }
        try (Browser operator = new Browser()) {
            operator.signIn(base(), "operator", "operator-dev");
            WebElement row = openDeadLetters(operator, key);
            assertThat(row.findElements(By.xpath(".//button[normalize-space(.)='View']"))).as("content is for admins").isEmpty();
            assertThat(row.getText()).contains("422", "partner refused the referral");
            assertThat(operator.driver().findElements(By.xpath("//button[normalize-space(.)='Discard']")))
                    .as("discarding is for admins").isEmpty();
            row.findElement(By.xpath(".//button[normalize-space(.)='Retry']")).click();
            WebElement dialog = operator.waitFor(By.cssSelector("[role=dialog]"));
            WebElement confirm = dialog.findElement(By.xpath(".//button[normalize-space(.)='Retry']"));
            assertThat(confirm.isEnabled()).as("no retry without a reason").isFalse();
            dialog.findElement(By.id("cphub-reason")).sendKeys("police intake fixed (browser test)");
            operator.screenshot("operator-cphub-retry-confirm");
            confirm.click();
            operator.waitForText("RETRY: 1 message(s), operator action #");
            await().atMost(Duration.ofSeconds(30)).until(() -> attempts(key, 200) == 1);
            operator.screenshot("operator-cphub-retried");

            tab(operator, "Journey");
            WebElement id = operator.waitFor(By.cssSelector("input[aria-label='Incident or referral id']"));
            id.sendKeys(key);
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                operator.driver().findElement(By.xpath("//button[normalize-space(.)='Look up']")).click();
                Thread.sleep(500);
                return operator.pageText().contains("DELIVERED");
            });
            assertThat(operator.pageText()).contains("DEAD_LETTERED", "RETRIED", "by operator");
            operator.screenshot("operator-cphub-journey");
            tab(operator, "Actions");
            operator.waitForText("police intake fixed (browser test)");
            assertThat(operator.refusals()).isEmpty();
            assertThat(operator.consoleErrors()).isEmpty();
        }
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> attempts(key, 200) == 1);

        String urgent = deadLetteredReferral();
        try (Browser operator = new Browser()) {
            operator.signIn(base(), "operator", "operator-dev");
            openDeadLetters(operator, urgent).findElement(By.xpath(".//button[normalize-space(.)='Move to emergency lane']")).click();
            WebElement dialog = operator.waitFor(By.cssSelector("[role=dialog]"));
            assertThat(dialog.getText()).contains("cphub.deliver.police.urgent");
            dialog.findElement(By.id("cphub-reason")).sendKeys("the child is in danger now (browser test)");
            dialog.findElement(By.xpath(".//button[normalize-space(.)='Move']")).click();
            operator.waitForText("MOVE_TO_EMERGENCY_LANE: 1 message(s), operator action #");
            await().atMost(Duration.ofSeconds(30)).until(() -> attempts(urgent, 200) == 1);
            operator.screenshot("operator-cphub-moved-to-emergency-lane");
            assertThat(operator.refusals()).isEmpty();
        }
    }

    @Test
    void anOperatorSendsADeliveredReferralAgainFromItsJourneyAndOnlyAnAdminSeesWhatItSaid() throws Exception {
        String eventId = SyntheticIncidents.newEventId();
        String key = Referral.idFor(Incident.idFor(PartnerClient.HOTLINE, eventId), "police").toString();
        POLICE.stubFor(post(urlEqualTo("/intake")).atPriority(1).withHeader("Idempotency-Key", equalTo(key))
                .willReturn(aResponse().withStatus(201)));
        assertThat(new PartnerClient(hub.port()).post(SyntheticIncidents.incident(eventId).toString()).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> attempts(key, 201) == 1);

        try (Browser viewer = new Browser()) {
            viewer.signIn(base(), "viewer", "viewer-dev");
            journey(viewer, key);
            assertThat(viewer.driver().findElements(By.xpath("//button[normalize-space(.)='Send again' or normalize-space(.)='View']")))
                    .as("a viewer is offered no action").isEmpty();
            journey(viewer, Incident.idFor(PartnerClient.HOTLINE, eventId).toString(), "RECEIVED");
            assertThat(viewer.driver().findElements(By.xpath("//button[normalize-space(.)='Triage again']")))
                    .as("nor a re-triage").isEmpty();
            viewer.screenshot("viewer-cphub-journey-delivered");
            assertThat(viewer.refusals()).isEmpty();
        }
        try (Browser operator = new Browser()) {
            operator.signIn(base(), "operator", "operator-dev");
            WebElement delivered = journey(operator, key);
            assertThat(delivered.findElements(By.xpath(".//button[normalize-space(.)='View']"))).as("content is for admins").isEmpty();
            delivered.findElement(By.xpath(".//button[normalize-space(.)='Send again']")).click();
            WebElement dialog = operator.waitFor(By.cssSelector("[role=dialog]"));
            WebElement confirm = dialog.findElement(By.xpath(".//button[normalize-space(.)='Send again']"));
            assertThat(confirm.isEnabled()).as("no replay without a reason").isFalse();
            dialog.findElement(By.id("cphub-reason")).sendKeys("police lost the report in a restore (browser test)");
            operator.screenshot("operator-cphub-replay-confirm");
            confirm.click();
            operator.waitForText("Sent again to police");
            await().atMost(Duration.ofSeconds(30)).until(() -> attempts(key, 201) == 2);
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                operator.driver().findElement(By.xpath("//button[normalize-space(.)='Look up']")).click();
                Thread.sleep(500);
                return operator.driver().findElements(By.cssSelector("tr[data-step='DELIVERED']")).size() == 2;
            });
            assertThat(operator.pageText()).contains("REPLAYED", "operator");
            operator.screenshot("operator-cphub-replayed");
            assertThat(operator.refusals()).isEmpty();
            assertThat(operator.consoleErrors()).isEmpty();
        }
        try (Browser admin = new Browser()) {
            admin.signIn(base(), "admin", "admin-dev");
            journey(admin, key).findElement(By.xpath(".//button[normalize-space(.)='View']")).click();
            WebElement dialog = admin.waitFor(By.cssSelector("[role=dialog]"));
            dialog.findElement(By.id("cphub-reason")).sendKeys("police ask what they were sent (browser test)");
            dialog.findElement(By.xpath(".//button[normalize-space(.)='View']")).click();
            admin.waitFor(By.cssSelector("pre.cphub-content"));
            assertThat(admin.driver().findElement(By.cssSelector("pre.cphub-content")).getText())
                    .as("what police were delivered").contains(key, "Synthetic Child Alpha");
            admin.screenshot("admin-cphub-delivered-content");
            assertThat(admin.refusals()).isEmpty();
        }
        List<String> bodies = POLICE.getAllServeEvents().stream().filter(e -> key.equals(e.getRequest().getHeader("Idempotency-Key")))
                .map(e -> e.getRequest().getBodyAsString()).distinct().toList();
        assertThat(bodies).as("sent again exactly as delivered, with the same key").hasSize(1);

        String incidentId = Incident.idFor(PartnerClient.HOTLINE, eventId).toString();
        try (Browser operator = new Browser()) {
            operator.signIn(base(), "operator", "operator-dev");
            journey(operator, incidentId, "RECEIVED");
            operator.driver().findElement(By.xpath("//button[normalize-space(.)='Triage again']")).click();
            WebElement dialog = operator.waitFor(By.cssSelector("[role=dialog]"));
            dialog.findElement(By.id("cphub-reason")).sendKeys("routing.yaml changed (browser test)");
            dialog.findElement(By.xpath(".//button[normalize-space(.)='Triage again']")).click();
            operator.waitForText("Back to triage, operator action #");
            operator.waitFor(By.cssSelector("tr[data-step='RETRIAGED']"));
            operator.screenshot("operator-cphub-retriaged");
            assertThat(operator.refusals()).isEmpty();
        }
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> attempts(key, 201) == 2);
    }

    @Test
    void anOperatorRetriesFromHawtiosJmxTreeAndAViewerCannot() throws Exception {
        String key = deadLetteredReferral();

        try (Browser viewer = new Browser()) {
            viewer.signIn(base(), "viewer", "viewer-dev");
            WebElement retry = openOperation(viewer, "retryMessages()");
            assertThat(retry.findElements(By.xpath(".//button[normalize-space(.)='Execute' and not(@disabled)]")))
                    .as("a viewer is offered no Execute for retryMessages()").isEmpty();
            assertThat(viewer.pageText()).as("no message content for a viewer").doesNotContain("Synthetic Child", "Synthetic Street");
            viewer.screenshot("viewer-dlq-retry-locked");
            assertThat(viewer.refusals()).as("the viewer's console asked nothing it was refused").isEmpty();
        }
        assertThat(attempts(key, 200)).as("nothing retried by the viewer's visit").isZero();

        try (Browser operator = new Browser()) {
            operator.signIn(base(), "operator", "operator-dev");
            WebElement retry = openOperation(operator, "retryMessages()");
            retry.findElement(By.xpath(".//button[normalize-space(.)='Execute']")).click();
            await().atMost(Duration.ofSeconds(30)).until(() -> attempts(key, 200) == 1);
            operator.screenshot("operator-dlq-retried");
            assertThat(operator.refusals()).as("the operator's console asked nothing it was refused").isEmpty();
        }
        List<String> bodies = POLICE.getAllServeEvents().stream().filter(e -> key.equals(e.getRequest().getHeader("Idempotency-Key")))
                .map(e -> e.getRequest().getBodyAsString()).distinct().toList();
        assertThat(bodies).as("the retried referral is the one police refused, same key, same body").hasSize(1);
    }

    /** An incident whose police referral police refuses (422): in cphub.dlq.police at once. Its key. */
    private static String deadLetteredReferral() throws Exception {
        String eventId = SyntheticIncidents.newEventId();
        assertThat(new PartnerClient(hub.port()).post(SyntheticIncidents.incident(eventId).toString()).statusCode()).isEqualTo(202);
        String key = Referral.idFor(Incident.idFor(PartnerClient.HOTLINE, eventId), "police").toString();
        await().atMost(Duration.ofSeconds(30)).until(() -> attempts(key, 422) == 1);
        POLICE.stubFor(post(urlEqualTo("/intake")).atPriority(1).withHeader("Idempotency-Key", equalTo(key))
                .willReturn(aResponse().withStatus(200)));
        return key;
    }

    /** The CP Hub page's journey of a referral, and its (first) DELIVERED row. */
    private static WebElement journey(Browser browser, String referralId) {
        journey(browser, referralId, "DELIVERED");
        return browser.waitFor(By.cssSelector("tr[data-step='DELIVERED'][data-referral='" + referralId + "']"));
    }

    /** The CP Hub page's journey of an incident or referral id, once a row of {@code step} shows. */
    private static void journey(Browser browser, String id, String step) {
        browser.driver().get(base() + "/actuator/hawtio/cphub");
        tab(browser, "Journey");
        browser.waitFor(By.cssSelector("input[aria-label='Incident or referral id']")).sendKeys(id);
        browser.driver().findElement(By.xpath("//button[normalize-space(.)='Look up']")).click();
        browser.waitFor(By.cssSelector("tr[data-step='" + step + "']"));
    }

    private static void tab(Browser browser, String title) {
        browser.waitFor(By.xpath("//button[contains(@class,'tabs__link')][normalize-space(.)='" + title + "']")).click();
    }

    /** The CP Hub page's dead letters of police, and the row of the referral. */
    private static WebElement openDeadLetters(Browser browser, String referralId) {
        browser.driver().get(base() + "/actuator/hawtio/cphub");
        tab(browser, "Dead letters");
        return browser.waitFor(By.cssSelector("tr[data-referral='" + referralId + "']"));
    }

    /** The DLQ's queue MBean in Hawtio's JMX tree, its Operations tab, the operation's row expanded. */
    private static WebElement openOperation(Browser browser, String operation) {
        browser.driver().get(base() + "/actuator/hawtio/jmx");
        WebElement search = browser.waitFor(By.cssSelector("input[type=search], input[placeholder*=earch]"));
        search.sendKeys("cphub.dlq.police", Keys.ENTER);
        // the tree shows the address (folder), its anycast queue (leaf) and the address MBean: the queue's leaf
        browser.waitFor(By.xpath("(//*[normalize-space(text())='cphub.dlq.police'])[3]"));
        browser.driver().findElements(By.xpath("//*[normalize-space(text())='cphub.dlq.police']")).get(1).click();
        browser.waitFor(By.xpath("//*[normalize-space(text())='Operations']")).click();
        WebElement toggle = browser.waitFor(By.cssSelector("button[aria-labelledby^='operation " + operation + " ']"));
        toggle.click();
        return browser.waitFor(By.cssSelector("section[aria-label='operation execute " + operation + "']"));
    }

    private static long attempts(String key, int status) {
        return POLICE.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals("/intake"))
                .filter(e -> key.equals(e.getRequest().getHeader("Idempotency-Key")))
                .map(ServeEvent::getResponse).filter(r -> r.getStatus() == status).count();
    }
}

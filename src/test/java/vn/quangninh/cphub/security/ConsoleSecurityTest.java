package vn.quangninh.cphub.security;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.management.ObjectNameBuilder;
import org.apache.activemq.artemis.core.config.Configuration;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.SyntheticIncidents;
import vn.quangninh.cphub.routing.Referral;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.store.Journey.Step;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Who may do what in Hawtio and Jolokia, over real HTTP with the development console users. */
class ConsoleSecurityTest extends HubTestSupport {

    /** A console session: its own cookies (the XSRF-TOKEN among them) and Basic credentials. */
    private final class Console {
        private final CookieManager cookies = new CookieManager();
        private final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private final String authorization;

        Console(String user) {
            this.authorization = user == null ? null
                    : "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-dev").getBytes(StandardCharsets.UTF_8));
        }

        HttpResponse<String> get(String path) throws Exception {
            HttpRequest.Builder r = HttpRequest.newBuilder(uri(path)).GET();
            if (authorization != null) {
                r.header("Authorization", authorization);
            }
            return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
        }

        /** POST to Jolokia with the CSRF token, as Hawtio does. */
        HttpResponse<String> jolokia(String json) throws Exception {
            get("/actuator/jolokia/version");
            String token = cookies.getCookieStore().get(uri("/")).stream()
                    .filter(c -> c.getName().equals("XSRF-TOKEN")).map(HttpCookie::getValue).findFirst().orElse("");
            HttpRequest.Builder r = HttpRequest.newBuilder(uri("/actuator/jolokia"))
                    .header("Content-Type", "application/json").header("X-XSRF-TOKEN", token)
                    .POST(HttpRequest.BodyPublishers.ofString(json));
            if (authorization != null) {
                r.header("Authorization", authorization);
            }
            return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
        }

        private URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }
    }

    @Test
    void anonymousGets401FromJolokiaAndIsSentToTheLoginFromHawtio() throws Exception {
        Console anonymous = new Console(null);
        assertThat(anonymous.get("/actuator/jolokia/version").statusCode()).isEqualTo(401);
        assertThat(anonymous.jolokia(readHeap()).statusCode()).as("refused (no CSRF token can be had anonymously)")
                .isIn(401, 403);
        HttpResponse<String> hawtio = anonymous.get("/actuator/hawtio/");
        assertThat(hawtio.statusCode()).isIn(302, 401);
    }

    @Test
    void viewerReadsButMayNotExecuteOrWrite() throws Exception {
        Console viewer = new Console("viewer");
        HttpResponse<String> read = viewer.jolokia(readHeap());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(json(read.body()).get("status").asInt()).isEqualTo(200);
        assertThat(viewer.get("/actuator/hawtio/").statusCode()).isEqualTo(200);

        assertThat(viewer.jolokia(exec(queueMBean("cphub.dlq.police"), "retryMessages()")).statusCode()).isEqualTo(403);
        assertThat(viewer.jolokia(exec(queueMBean("cphub.intake"), "browse()")).statusCode())
                .as("a viewer never sees message bodies").isEqualTo(403);
        assertThat(viewer.jolokia("{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}")
                .statusCode()).isEqualTo(403);
        assertThat(viewer.get("/actuator/jolokia/exec/java.lang:type=Memory/gc").statusCode()).isEqualTo(403);
        assertThat(viewer.jolokia("[" + readHeap() + "," + exec("java.lang:type=Memory", "gc()") + "]").statusCode())
                .as("one forbidden request in a bulk request refuses the bulk").isEqualTo(403);
    }

    /** Queue attributes (FirstMessageAsJSON among them) carry message properties, never the body. */
    @Test
    void noAttributeReadShowsAQueuedChildsReport() throws Exception {
        String eventId = newEventId();
        postIncident(SyntheticIncidents.unroutedIncident(eventId));
        await().atMost(Duration.ofSeconds(10)).until(() -> messageCount("cphub.unrouted") > 0);

        for (String user : new String[] {"viewer", "admin"}) {
            // as Hawtio reads an MBean's attributes: all of them, errors per attribute
            var read = JSON.createObjectNode().put("type", "read").put("mbean", queueMBean("cphub.unrouted"));
            read.putObject("config").put("ignoreErrors", true);
            HttpResponse<String> all = new Console(user).jolokia(read.toString());
            assertThat(all.statusCode()).isEqualTo(200);
            assertThat(json(all.body()).path("value").path("MessageCount").asLong()).as(all.body()).isPositive();
            assertThat(all.body()).doesNotContain("Synthetic Child Alpha", "0900000001", "2016-03-01");
        }
    }

    @Test
    void operatorRetriesADeadLetteredReferralAndItIsDelivered() throws Exception {
        String eventId = newEventId();
        var forThisEvent = matchingJsonPath("$.incident.source.eventId", equalTo(eventId));
        POLICE.stubFor(post(urlEqualTo("/intake")).withRequestBody(forThisEvent).willReturn(aResponse().withStatus(422)));
        String incidentId = Incident.idFor(HOTLINE, eventId).toString();
        String referralId = Referral.idFor(Incident.idFor(HOTLINE, eventId), "police").toString();
        postIncident(incident(eventId));
        await().atMost(Duration.ofSeconds(15)).until(() -> steps(incidentId).contains(Step.DEAD_LETTERED));

        POLICE.resetAll();
        POLICE.stubFor(post(urlEqualTo("/intake")).willReturn(aResponse().withStatus(200)));
        Console operator = new Console("operator");
        HttpResponse<String> retried = operator.jolokia(exec(queueMBean("cphub.dlq.police"), "retryMessages()"));

        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(json(retried.body()).get("status").asInt()).as(retried.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> steps(incidentId).contains(Step.DELIVERED));
        assertThat(policeRequestsWithKey(referralId)).hasSize(1);
        assertThat(messageCount("cphub.dlq.police")).isZero();
    }

    @Test
    void operatorMayNotCallOperationsOutsideMessageRepair() throws Exception {
        Console operator = new Console("operator");
        assertThat(operator.jolokia(exec(queueMBean("cphub.dlq.police"), "removeAllMessages()")).statusCode()).isEqualTo(403);
        assertThat(operator.jolokia(exec("java.lang:type=Memory", "gc()")).statusCode()).isEqualTo(403);
    }

    @Test
    void adminMayExecuteAnything() throws Exception {
        Console admin = new Console("admin");
        HttpResponse<String> gc = admin.jolokia(exec("java.lang:type=Memory", "gc()"));
        assertThat(gc.statusCode()).isEqualTo(200);
        assertThat(json(gc.body()).get("status").asInt()).isEqualTo(200);
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefused() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/jolokia"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin-dev".getBytes()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(exec("java.lang:type=Memory", "gc()"))).build();
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    }

    private String queueMBean(String queue) throws Exception {
        Configuration config = broker.getActiveMQServer().getConfiguration();
        return ObjectNameBuilder.create(config.getJMXDomain(), config.getName(), config.isJMXUseBrokerName())
                .getQueueObjectName(SimpleString.of(queue), SimpleString.of(queue), RoutingType.ANYCAST).toString();
    }

    private static String readHeap() {
        return "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"HeapMemoryUsage\"}";
    }

    private static String exec(String mbean, String operation) throws Exception {
        return JSON.createObjectNode().put("type", "exec").put("mbean", mbean).put("operation", operation)
                .set("arguments", JSON.createArrayNode()).toString();
    }

}

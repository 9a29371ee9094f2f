package vn.quangninh.cphub.security;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.management.ObjectNameBuilder;
import org.apache.activemq.artemis.core.config.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.ConsoleClient;
import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.LogRecorder;
import vn.quangninh.cphub.SyntheticIncidents;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.model.Referral;
import vn.quangninh.cphub.store.Journey.Step;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Who may do what in Hawtio and Jolokia, over real HTTP with the development console users — tried the way
 * an attacker with a console login would: the request type in the URL path against the one in {@code p=},
 * percent-encoding, Hawtio's forward, bulk requests, GET instead of POST, duplicate keys, upper case, other
 * origins. A synthetic child's report is planted in {@code cphub.unrouted}, {@code cphub.invalid} and
 * {@code cphub.dlq.police}; its name, birth date and caller number must never come back to a viewer or an
 * operator through any path, while an admin's browse (recorded as a content read) shows it is there.
 */
class ConsoleSecurityTest extends HubTestSupport {

    /** The planted report's identity (SyntheticIncidents): in no answer to a viewer or an operator. */
    private static final List<String> CHILD = List.of("Synthetic Child Alpha", "2016-03-01", "0900000001");
    private static final String AUDIT_LOGGER = "cphub.audit.console";

    private static boolean planted;
    private LogRecorder audit;

    @BeforeEach
    void recordAudit() {
        audit = LogRecorder.of(AUDIT_LOGGER);
    }

    @AfterEach
    void stopRecording() {
        audit.close();
    }

    /** A child's report in three queues a console user could try to read: unrouted, invalid, and police's DLQ. */
    @BeforeEach
    void plantAChildsReport() throws Exception {
        if (planted) {
            return;
        }
        postIncident(SyntheticIncidents.unroutedIncident(newEventId()));
        // refused (priority 9) and kept byte for byte, the child's name first: within what a browse shows
        ObjectNode invalid = JSON.createObjectNode();
        invalid.set("subjects", incident("x").get("subjects"));
        invalid.setAll(incident(newEventId()));
        invalid.put("priority", 9);
        assertThat(postIncident(invalid).statusCode()).isEqualTo(422);
        String eventId = newEventId();
        POLICE.stubFor(post(urlEqualTo("/intake")).withRequestBody(matchingJsonPath("$.incident.source.eventId", equalTo(eventId)))
                .willReturn(aResponse().withStatus(422)));
        String incidentId = Incident.idFor(HOTLINE, eventId).toString();
        postIncident(incident(eventId));
        await().atMost(Duration.ofSeconds(15)).until(() -> steps(incidentId).contains(Step.DEAD_LETTERED)
                && messageCount("cphub.unrouted") > 0 && messageCount("cphub.invalid") > 0);
        planted = true;
    }

    // --- the bypasses of the probe, for every role ------------------------------------------------------

    @Test
    void noRoleReadsAMessageBodyThroughAnyJolokiaPath() throws Exception {
        for (String queue : List.of("cphub.invalid", "cphub.unrouted", "cphub.dlq.police")) {
            String mbean = queueMBean(queue);
            for (String user : List.of("viewer", "operator")) {
                ConsoleClient console = new ConsoleClient(port, user);
                for (String path : getPaths(mbean, "browse()")) {
                    assertNotExecuted(console.get(path), user + " GET " + path);
                }
                assertRefused(console.jolokia(exec(mbean, "browse()")), user + " POST browse on " + queue);
                assertRefused(console.jolokiaAt("/actuator/hawtio/jolokia", exec(mbean, "browse()")), user + " POST browse via Hawtio");
                assertRefused(console.jolokia(exec(mbean, "peekFirstMessageAsJSON()")), user + " peekFirstMessageAsJSON");
                // duplicate keys and case: Jolokia's own reading of the request is what is checked
                assertRefused(console.jolokia("{\"type\":\"read\",\"type\":\"exec\",\"mbean\":" + quoted(mbean)
                        + ",\"operation\":\"browse()\",\"arguments\":[]}"), user + " duplicate type keys");
                assertRefused(console.jolokia("{\"type\":\"EXEC\",\"mbean\":" + quoted(mbean)
                        + ",\"operation\":\"browse()\",\"arguments\":[]}"), user + " upper-case type");
                // a bulk request: each part decided on its own, the forbidden one refused
                HttpResponse<String> bulk = console.jolokia("[" + readHeap() + "," + exec(mbean, "browse()") + "]");
                assertNoChild(bulk, user + " bulk");
                assertThat(json(bulk.body()).get(0).path("status").asInt()).isEqualTo(200);
                assertThat(json(bulk.body()).get(1).path("status").asInt()).as(bulk.body()).isEqualTo(403);
                // every attribute of every broker MBean, as Hawtio's JMX tree reads them
                HttpResponse<String> all = console.jolokia(readAll("org.apache.activemq.artemis:*"));
                assertThat(all.statusCode()).isEqualTo(200);
                assertNoChild(all, user + " reading every broker attribute");
            }
        }
        // operators list the messages of a queue by their properties, never their bodies
        for (String queue : List.of("cphub.invalid", "cphub.unrouted", "cphub.dlq.police")) {
            for (String list : List.of("listMessagesAsJSON(java.lang.String)", "listMessages(java.lang.String)")) {
                HttpResponse<String> listed = new ConsoleClient(port, "operator").jolokia(exec(queueMBean(queue), list, ""));
                assertThat(json(listed.body()).path("status").asInt()).as(listed.body()).isEqualTo(200);
                assertThat(listed.body()).contains("cphub");
                assertNoChild(listed, "operator " + list + " on " + queue);
            }
        }

        // the control: the report is there, and an admin's browse (a recorded content read) shows it
        HttpResponse<String> browsed = new ConsoleClient(port, "admin").jolokia(exec(queueMBean("cphub.invalid"), "browse()"));
        assertThat(json(browsed.body()).path("status").asInt()).isEqualTo(200);
        assertThat(showsChild(browsed.body())).as("the admin's browse shows the planted report (a byte body's preview)").isTrue();
        assertThat(auditLines()).anyMatch(l -> l.startsWith("content read by admin (admin): exec browse() on ")
                && l.contains("cphub.invalid"));
    }

    @Test
    void noRoleButAdminPausesDeliveryOrRunsOtherOperations() throws Exception {
        String police = queueMBean("cphub.deliver.police");
        for (String user : List.of("viewer", "operator")) {
            ConsoleClient console = new ConsoleClient(port, user);
            for (String path : getPaths(police, "pause()")) {
                assertNotExecuted(console.get(path), user + " GET " + path);
            }
            assertRefused(console.jolokia(exec(police, "pause()")), user + " POST pause");
            assertRefused(console.jolokia(exec(queueMBean("cphub.dlq.police"), "removeAllMessages()")), user + " removeAllMessages");
            assertRefused(console.jolokia(exec(queueMBean("cphub.dlq.police"), "moveMessages(java.lang.String,java.lang.String)",
                    "", "cphub.deliver.hotline-crm")), user + " moves another partner's referrals into the CRM's queue");
            assertRefused(console.jolokia(exec("java.lang:type=Memory", "gc()")), user + " gc");
            assertRefused(console.jolokia(exec("hawtio:type=QuartzFacade", "pauseScheduler(java.lang.String)", "x")), user + " Hawtio's Quartz");
            assertRefused(console.jolokia("{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}"),
                    user + " write");
            assertRefused(console.jolokia(exec("org.apache.activemq.artemis:*", "countMessages()")), user + " exec on a pattern");
        }
        assertThat(broker.getActiveMQServer().locateQueue("cphub.deliver.police").isPaused()).as("police delivery still runs").isFalse();
        // the refusal is in the audit log with user, MBean and operation
        assertThat(auditLines()).anyMatch(l -> l.startsWith("refused exec pause() by viewer (viewer) on ") && l.contains("cphub.deliver.police"));
    }

    @Test
    void aGetNeverExecutesOrWritesForAnyRoleAdminIncluded() throws Exception {
        for (String user : List.of("viewer", "operator", "admin")) {
            ConsoleClient console = new ConsoleClient(port, user);
            HttpResponse<String> gc = console.get("/actuator/jolokia/exec/java.lang:type=Memory/gc");
            assertRefused(gc, user + " GET exec");
            assertThat(json(gc.body()).path("error").asText()).contains("must be sent as POST with the CSRF token");
            assertRefused(console.get("/actuator/jolokia/write/java.lang:type=Memory/Verbose/true"), user + " GET write");
            assertNotExecuted(console.get("/actuator/jolokia/?p=/exec/java.lang:type=Memory/gc"), user + " GET exec in p=");
        }
        assertThat(auditLines()).anyMatch(l -> l.startsWith("refused exec gc by admin (admin) on java.lang:type=Memory"));
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefusedForAdminsToo() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/jolokia"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin-dev".getBytes()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(exec("java.lang:type=Memory", "gc()"))).build();
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    }

    @Test
    void viewersSeeNoJvmArgumentsOrSystemProperties() throws Exception {
        for (String attribute : List.of("SystemProperties", "InputArguments")) {
            String read = "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"" + attribute + "\"}";
            assertRefused(new ConsoleClient(port, "viewer").jolokia(read), "viewer reads " + attribute);
            assertRefused(new ConsoleClient(port, "operator").jolokia(read), "operator reads " + attribute);
            assertThat(json(new ConsoleClient(port, "admin").jolokia(read).body()).path("status").asInt()).isEqualTo(200);
        }
        // all of Runtime at once, as Hawtio's JVM view reads it: the rest is there, the properties are not
        HttpResponse<String> all = new ConsoleClient(port, "viewer").jolokia(readAll("java.lang:type=Runtime"));
        JsonNode value = json(all.body()).path("value");
        assertThat(value.path("Uptime").asLong()).isPositive();
        assertThat(value.path("SystemProperties").path("error_type").asText()).isEqualTo("java.lang.SecurityException");
        assertThat(all.body()).doesNotContain("java.class.path", "user.dir");
    }

    // --- what the roles may do -----------------------------------------------------------------------

    @Test
    void anonymousGets401FromJolokiaAndIsSentToTheLoginFromHawtio() throws Exception {
        ConsoleClient anonymous = new ConsoleClient(port, null);
        assertThat(anonymous.get("/actuator/jolokia/version").statusCode()).isEqualTo(401);
        assertThat(anonymous.jolokia(readHeap()).statusCode()).as("refused (no CSRF token can be had anonymously)")
                .isIn(401, 403);
        assertThat(anonymous.get("/actuator/hawtio/").statusCode()).isIn(302, 401);
    }

    @Test
    void viewerReadsAndDrawsRoutesButRepairsNothing() throws Exception {
        ConsoleClient viewer = new ConsoleClient(port, "viewer");
        HttpResponse<String> read = viewer.jolokia(readHeap());
        assertThat(json(read.body()).get("status").asInt()).isEqualTo(200);
        assertThat(viewer.get("/actuator/hawtio/").statusCode()).isEqualTo(200);
        // route diagrams are drawn from route dumps (Camel's MBeans are off in this test JVM: asked, not run)
        ObjectNode ask = JSON.createObjectNode().put("type", "exec")
                .put("mbean", "vn.quangninh.cphub:type=security,area=jmx,name=ConsoleAccess")
                .put("operation", "canInvoke(java.lang.String,java.lang.String)");
        ask.putArray("arguments").add("org.apache.camel:context=cphub,type=context,name=\"cphub\"").add("dumpRoutesAsXml()");
        assertThat(json(viewer.jolokia(ask.toString()).body()).path("value").asBoolean()).as("route diagrams for viewers").isTrue();
        assertRefused(viewer.jolokia(exec(queueMBean("cphub.dlq.police"), "retryMessages()")), "viewer retries");
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
        ConsoleClient operator = new ConsoleClient(port, "operator");
        // the operator finds the message by its properties, then puts it back on its queue
        HttpResponse<String> listed = operator.jolokia(exec(queueMBean("cphub.dlq.police"), "listMessages(java.lang.String)",
                "cphubReferralId='" + referralId + "'"));
        long messageId = json(listed.body()).path("value").get(0).path("messageID").asLong();
        ObjectNode retry = (ObjectNode) json(exec(queueMBean("cphub.dlq.police"), "retryMessage(long)"));
        retry.withArray("arguments").add(messageId);
        HttpResponse<String> retried = operator.jolokia(retry.toString());

        assertThat(json(retried.body()).get("status").asInt()).as(retried.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> steps(incidentId).contains(Step.DELIVERED));
        assertThat(policeRequestsWithKey(referralId)).hasSize(1);
        assertThat(auditLines()).anyMatch(l -> l.startsWith("exec by operator (operator): retryMessage(long) on ")
                && l.contains("cphub.dlq.police") && !l.contains(String.valueOf(messageId)));
    }

    @Test
    void adminMayExecuteAnything() throws Exception {
        HttpResponse<String> gc = new ConsoleClient(port, "admin").jolokia(exec("java.lang:type=Memory", "gc()"));
        assertThat(json(gc.body()).get("status").asInt()).isEqualTo(200);
        assertThat(auditLines()).contains("exec by admin (admin): gc() on java.lang:type=Memory");
    }

    /** Hawtio asks the hub's ACL MBean what to offer; its allow-all dummy is not to be found. */
    @Test
    void hawtioIsToldWhatEachRoleMayRunByTheSameDecision() throws Exception {
        HttpResponse<String> search = new ConsoleClient(port, "viewer").jolokia("{\"type\":\"search\",\"mbean\":\"*:type=security,area=jmx,*\"}");
        // (one per hub: tests run other hubs in this JVM too)
        assertThat(json(search.body()).path("value")).extracting(JsonNode::asText).isNotEmpty()
                .allMatch(name -> name.startsWith("vn.quangninh.cphub:type=security,area=jmx,name=ConsoleAccess"));
        String dlq = queueMBean("cphub.dlq.police");
        Map<String, Map<String, Boolean>> expected = Map.of(
                "viewer", Map.of("retryMessages()", false, "browse()", false, "pause()", false),
                "operator", Map.of("retryMessages()", true, "browse()", false, "pause()", false),
                "admin", Map.of("retryMessages()", true, "browse()", true, "pause()", true));
        for (var role : expected.entrySet()) {
            ObjectNode ask = JSON.createObjectNode().put("type", "exec")
                    .put("mbean", "vn.quangninh.cphub:type=security,area=jmx,name=ConsoleAccess")
                    .put("operation", "canInvoke(java.util.Map)");
            ObjectNode bulk = ask.putArray("arguments").addObject();
            var ops = bulk.putArray(dlq);
            role.getValue().keySet().forEach(ops::add);
            HttpResponse<String> answer = new ConsoleClient(port, role.getKey()).jolokia(ask.toString());
            JsonNode table = json(answer.body()).path("value").path(dlq);
            for (var op : role.getValue().entrySet()) {
                assertThat(table.path(op.getKey()).path("CanInvoke").asBoolean())
                        .as(role.getKey() + " " + op.getKey() + " in " + answer.body()).isEqualTo(op.getValue());
            }
        }
    }

    // --- the edges of the same probe -------------------------------------------------------------------

    @Test
    void anotherSitesPageGetsNoAnswerFromJolokia() throws Exception {
        HttpResponse<String> answer = new ConsoleClient(port, "admin").jolokiaAt("/actuator/jolokia", readHeap(), "Origin", "http://evil.example");
        assertRefused(answer, "a cross-site request");
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> own = new ConsoleClient(port, "admin").jolokiaAt("/actuator/jolokia", readHeap(), "Origin", "http://127.0.0.1:" + port);
        assertThat(json(own.body()).path("status").asInt()).isEqualTo(200);
    }

    @Test
    void jolokiaProxiesAndNotificationsAreNotThere() throws Exception {
        ConsoleClient admin = new ConsoleClient(port, "admin");
        try (java.net.ServerSocket elsewhere = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            elsewhere.setSoTimeout(1000);
            ObjectNode proxied = (ObjectNode) json(readHeap());
            proxied.putObject("target").put("url", "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + elsewhere.getLocalPort() + "/jmxrmi");
            admin.jolokia(proxied.toString());
            assertThatThrownBy(elsewhere::accept).as("the JSR-160 proxy opened no connection").isInstanceOf(java.net.SocketTimeoutException.class);
        }
        // notification requests never reach Jolokia's restrictor: no backend can deliver any
        String client = json(admin.jolokia("{\"type\":\"notification\",\"command\":\"register\"}").body()).path("value").path("id").asText();
        for (String mode : List.of("pull", "sse")) {
            HttpResponse<String> listen = admin.jolokia("{\"type\":\"notification\",\"command\":\"add\",\"client\":\"" + client
                    + "\",\"mode\":\"" + mode + "\",\"mbean\":\"JMImplementation:type=MBeanServerDelegate\"}");
            assertThat(json(listen.body()).path("status").asInt()).as(listen.body()).isNotEqualTo(200);
        }
        assertThat(admin.get("/actuator/hawtio/proxy/http/127.0.0.1/" + port + "/actuator/jolokia/version").statusCode())
                .as("Hawtio's proxy servlet").isNotEqualTo(200);
    }

    @Test
    void sessionAndCsrfCookiesAreSameSiteStrict() throws Exception {
        HttpClient client = HttpClient.newBuilder().build();
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        String xsrf = cookieHeader(page, "XSRF-TOKEN");
        assertThat(xsrf).contains("SameSite=Strict");
        String token = xsrf.substring("XSRF-TOKEN=".length(), xsrf.indexOf(';'));
        HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "XSRF-TOKEN=" + token)
                .POST(HttpRequest.BodyPublishers.ofString("username=viewer&password=viewer-dev&_csrf=" + token)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        String loggedIn = cookieHeader(login, "JSESSIONID");
        assertThat(loggedIn).contains("SameSite=Strict").contains("HttpOnly").doesNotContain("Secure");
    }

    @Test
    void oddPathsGetA400WithoutAStackTrace() throws Exception {
        for (String path : List.of("/api/../actuator/jolokia/version", "/api;x=y/v1/incidents", "/actuator/jolokia/%2e%2e/version",
                "/api/v1//incidents")) {
            String answer = rawGet(path);
            assertThat(answer).as(path).startsWith("HTTP/1.1 400");
            assertThat(answer).as(path).doesNotContain("Exception", "at org.");
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------

    /** Jolokia answers a refusal as its own status 403 (with the reason), Spring Security as HTTP 401/403. */
    private void assertRefused(HttpResponse<String> answer, String what) throws Exception {
        assertNoChild(answer, what);
        if (answer.statusCode() == 200) {
            JsonNode body = json(answer.body());
            assertThat(body.path("status").asInt()).as(what + ": " + answer.body()).isEqualTo(403);
            assertThat(body.path("error").asText()).as(what).isNotBlank();
            assertThat(answer.body()).as(what).doesNotContain("\tat ");
        } else {
            assertThat(answer.statusCode()).as(what + ": " + answer.body()).isIn(400, 401, 403, 404);
        }
    }

    /** A GET that names exec somewhere: refused, or answered as the read-only request Jolokia took it for. */
    private void assertNotExecuted(HttpResponse<String> answer, String what) throws Exception {
        assertNoChild(answer, what);
        if (answer.statusCode() == 200 && json(answer.body()).path("status").asInt() == 200) {
            assertThat(json(answer.body()).path("request").path("type").asText()).as(what).isNotEqualTo("exec");
        } else {
            assertRefused(answer, what);
        }
    }

    private static void assertNoChild(HttpResponse<String> answer, String what) {
        assertThat(showsChild(answer.body())).as(what + " must not return the child's report: " + answer.body()).isFalse();
    }

    /** The planted identity as text, or as a bytes message's body preview (its bytes in decimal). */
    private static boolean showsChild(String body) {
        for (String value : CHILD) {
            StringBuilder decimal = new StringBuilder();
            for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
                decimal.append(decimal.length() == 0 ? "" : ",").append(b);
            }
            if (body.contains(value) || body.replace(" ", "").contains(decimal)) {
                return true;
            }
        }
        return false;
    }

    /** The ways an exec can be written in a GET: the URL path, the p= parameter, both, encoded, through Hawtio. */
    private static List<String> getPaths(String mbean, String operation) {
        String exec = "exec/" + mbean.replace("\"", "%22") + "/" + operation;
        String encoded = exec.replace("exec/", "%65xec/").replace(":", "%3A").replace(",", "%2C");
        List<String> paths = new ArrayList<>();
        for (String base : List.of("/actuator/jolokia/", "/actuator/hawtio/jolokia/")) {
            paths.add(base + exec);
            paths.add(base + exec + "?p=/list");
            paths.add(base + "?p=/" + exec);
            paths.add(base + "list?p=/" + exec);
            paths.add(base + encoded);
        }
        return paths;
    }

    private List<String> auditLines() {
        return audit.messages();
    }

    private String queueMBean(String queue) throws Exception {
        Configuration config = broker.getActiveMQServer().getConfiguration();
        return ObjectNameBuilder.create(config.getJMXDomain(), config.getName(), config.isJMXUseBrokerName())
                .getQueueObjectName(SimpleString.of(queue), SimpleString.of(queue), RoutingType.ANYCAST).toString();
    }

    private String rawGet(String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            String auth = Base64.getEncoder().encodeToString("admin:admin-dev".getBytes(StandardCharsets.UTF_8));
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + auth + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String cookieHeader(HttpResponse<String> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + response.headers().map()));
    }

    private static String readHeap() {
        return "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"HeapMemoryUsage\"}";
    }

    private static String readAll(String pattern) {
        ObjectNode read = JSON.createObjectNode().put("type", "read").put("mbean", pattern);
        read.putObject("config").put("ignoreErrors", true);
        return read.toString();
    }

    private static String quoted(String value) {
        return JSON.getNodeFactory().textNode(value).toString();
    }

    private static String exec(String mbean, String operation, String... arguments) {
        ObjectNode exec = JSON.createObjectNode().put("type", "exec").put("mbean", mbean).put("operation", operation);
        var args = exec.putArray("arguments");
        for (String a : arguments) {
            args.add(a);
        }
        return exec.toString();
    }
}

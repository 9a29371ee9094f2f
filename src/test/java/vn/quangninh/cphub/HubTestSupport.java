package vn.quangninh.cphub;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import vn.quangninh.cphub.store.Journey;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub as it runs by default — embedded Artemis with its journal on disk, H2 file store, real HTTP on a
 * random port — with the police intake played by a real HTTP stub (WireMock). Test classes that extend
 * this share one running hub; each test uses its own source event ids.
 */
@CamelSpringBootTest
@SpringBootTest(classes = CpHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@org.springframework.context.annotation.Import(vn.quangninh.testsupport.MovedTime.class)
public abstract class HubTestSupport {

    /** The hub's clock in tests: the legal clocks and their timers run on it; tests move it forward. */
    protected static final MovableClock CLOCK = vn.quangninh.testsupport.MovedTime.CLOCK;

    /** Paths on the partner stub of each agency-webhook partner in config/partners.yaml. */
    protected static final String SOCIAL_AFFAIRS_PATH = "/social-affairs/referrals";
    protected static final String CRM_PATH = "/crm/referral-updates";
    protected static final String HOSPITAL_PATH = "/baichay/social-work";
    protected static final String SUPERVISOR_PATH = "/supervisor/escalations";
    protected static final String CCTV_DESK_PATH = "/cctv-desk/alerts";
    /** The MQTT topic prefix Frigate publishes under in this test run (Mosquitto on 127.0.0.1:1883). */
    private static final String TEST_JVM = java.util.UUID.randomUUID().toString();
    protected static final String FRIGATE_TOPICS = "cphub-test-" + TEST_JVM + "/frigate";

    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static final String HOTLINE = PartnerClient.HOTLINE;
    protected static final String HOTLINE_SECRET = PartnerClient.HOTLINE_SECRET;

    /** The partners' servers — police intake and the agencies' webhooks, on their own paths: outside the hub, so a stub. */
    protected static final WireMockServer POLICE = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private static final Path DATA_DIR;

    static {
        POLICE.start();
        try {
            DATA_DIR = Files.createTempDirectory("cphub-test-data");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void hubSettings(DynamicPropertyRegistry registry) {
        registry.add("cphub.data-dir", DATA_DIR::toString);
        registry.add("POLICE_INTAKE_URL", () -> POLICE.baseUrl() + "/intake");
        registry.add("POLICE_INTAKE_RESPONSE_TIMEOUT_MS", () -> "3000");
        registry.add("SOCIAL_AFFAIRS_WEBHOOK_URL", () -> POLICE.baseUrl() + SOCIAL_AFFAIRS_PATH);
        registry.add("HOTLINE_CRM_WEBHOOK_URL", () -> POLICE.baseUrl() + CRM_PATH);
        registry.add("HOSPITAL_BAICHAY_WEBHOOK_URL", () -> POLICE.baseUrl() + HOSPITAL_PATH);
        registry.add("CP_SUPERVISOR_WEBHOOK_URL", () -> POLICE.baseUrl() + SUPERVISOR_PATH);
        registry.add("CCTV_DESK_HALONG_WEBHOOK_URL", () -> POLICE.baseUrl() + CCTV_DESK_PATH);
        // Frigate through the machine's Mosquitto, on topics of this test run only
        registry.add("CPHUB_FRIGATE_ENABLED", () -> "true");
        registry.add("CPHUB_FRIGATE_EVENTS_TOPIC", () -> FRIGATE_TOPICS + "/events");
        registry.add("CPHUB_FRIGATE_REVIEWS_TOPIC", () -> FRIGATE_TOPICS + "/reviews");
        // and MQTT sessions of this test JVM only: the hubs of the other test JVM (same broker names) must not take
        // them over (a session's subscriptions are the client id's)
        registry.add("CPHUB_FRIGATE_EVENTS_CLIENT_ID", () -> "cphub-frigate-events-${cphub.broker.name}-" + TEST_JVM);
        registry.add("CPHUB_FRIGATE_REVIEWS_CLIENT_ID", () -> "cphub-frigate-reviews-${cphub.broker.name}-" + TEST_JVM);
        // camera episodes close after 1.5 s of quiet in tests
        registry.add("CPHUB_CCTV_EPISODE_WINDOW_MS", () -> "1500");
        registry.add("db-scheduler.polling-interval", () -> "500ms");
        registry.add("cphub.clocks.scan-interval", () -> "500ms");
        registry.add("cphub.clocks.count-interval", () -> "500ms");
        registry.add("cphub.routing.reload-interval", () -> "500ms");
        registry.add("cphub.broker.redelivery-delay", () -> "100ms");
        registry.add("cphub.broker.max-redelivery-delay", () -> "1s");
        registry.add("cphub.delivery.max-attempts", () -> "4");
        registry.add("cphub.delivery.circuit.half-open-after", () -> "1s");
        registry.add("cphub.delivery.circuit.failure-window", () -> "1s");
        registry.add("cphub.broker.max-delivery-attempts", () -> "6");
        // a test hub's own MLLP port; a second hub in the JVM sets cphub.hl7.port, which wins over this
        registry.add("CPHUB_HL7_PORT", () -> HL7_PORT);
        registry.add("CPHUB_SIP_PORT", () -> SIP_PORT);
        // the hub rings this long before it answers an observed call, so a test caller can hang up first
        registry.add("CPHUB_SIP_ANSWER_DELAY_MS", () -> "700");
        // the shared test hub takes hundreds of wrong credentials from 127.0.0.1 on purpose (rejection and abuse
        // tests): no lock-outs here; CredentialBackoffTest runs a hub with the shipped thresholds
        registry.add("CPHUB_CREDENTIALS_ACCOUNT_FREE_FAILURES", () -> "1000000");
        registry.add("CPHUB_CREDENTIALS_ADDRESS_FREE_FAILURES", () -> "1000000");
    }

    @org.springframework.beans.factory.annotation.Value("${cphub.hl7.port}")
    protected int hl7Port;

    private static final int HL7_PORT = freePort();
    /** The test hub's SIP port (UDP); a second hub sets cphub.sip.port. */
    protected static final int SIP_PORT = freePort();

    /**
     * For a test class that needs a hub with other settings: a second hub in this JVM, with its own broker
     * journal, broker name (MBeans), server id and MLLP port, and — unless it brings its own store — its own
     * H2 file. (Keys HubTestSupport itself sets cannot be overridden, so these use others.)
     */
    protected static void secondHub(DynamicPropertyRegistry registry, String name, int serverId, boolean ownH2Store)
            throws IOException {
        Path data = Files.createTempDirectory(name);
        registry.add("spring.artemis.embedded.data-directory", () -> data.resolve("broker").toString());
        registry.add("spring.artemis.embedded.server-id", () -> serverId);
        registry.add("cphub.broker.name", () -> name);
        // several hubs in one JVM: MBean names made unique (one hub per JVM in production keeps plain names)
        registry.add("spring.jmx.unique-names", () -> "true");
        int hl7Port = freePort();
        registry.add("cphub.hl7.port", () -> hl7Port);
        int sipPort = freePort();
        registry.add("cphub.sip.port", () -> sipPort);
        if (ownH2Store) {
            registry.add("CPHUB_DB_URL", () -> "jdbc:h2:file:" + data.resolve("store/cphub") + ";WRITE_DELAY=0;QUERY_CACHE_SIZE=64");
        }
    }

    protected static int freePort() {
        try {
            return HubProcess.freePort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected Journey journey;
    @Autowired
    protected EmbeddedActiveMQ broker;
    @Autowired
    protected JmsTemplate jms;

    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();

    @BeforeEach
    void policeAcceptsByDefault() {
        POLICE.resetAll();
        POLICE.stubFor(post(urlEqualTo("/intake")).atPriority(10).willReturn(aResponse().withStatus(201)));
        for (String agency : List.of(SOCIAL_AFFAIRS_PATH, CRM_PATH, HOSPITAL_PATH, SUPERVISOR_PATH, CCTV_DESK_PATH)) {
            POLICE.stubFor(post(urlEqualTo(agency)).atPriority(10).willReturn(aResponse().withStatus(200)));
        }
    }

    /** A valid synthetic incident with signs of crime (so routed to police). No real person. */
    protected static ObjectNode incident(String eventId) {
        return SyntheticIncidents.incident(eventId);
    }

    protected static String newEventId() {
        return SyntheticIncidents.newEventId();
    }

    protected HttpResponse<String> postIncident(String partner, String secret, String contentType, byte[] body)
            throws IOException, InterruptedException {
        return new PartnerClient(port).post(partner, secret, contentType, body);
    }

    protected HttpResponse<String> postIncident(ObjectNode incident) throws IOException, InterruptedException {
        return new PartnerClient(port).post(incident.toString());
    }

    /** Posts a routine (priority 3) synthetic incident, checks it was taken (202), and returns its source event id. */
    protected String postRoutine() throws IOException, InterruptedException {
        String eventId = newEventId();
        ObjectNode incident = incident(eventId);
        incident.put("priority", 3);
        assertThat(postIncident(incident).statusCode()).isEqualTo(202);
        return eventId;
    }

    protected static JsonNode json(String body) throws IOException {
        return JSON.readTree(body);
    }

    /** What the police stub received for one referral. */
    protected static List<LoggedRequest> policeRequestsWithKey(String referralId) {
        return POLICE.findAll(postRequestedFor(urlEqualTo("/intake")).withHeader("Idempotency-Key",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo(referralId)));
    }

    /**
     * How many requests the police stub received for each referral (its Idempotency-Key), from one read of the
     * stub's journal: a check over many referrals stays linear (one {@code findAll} per referral made a poll over
     * 1,861 of them outlast its minute on a slow machine).
     */
    protected static Map<String, Long> policeRequestsPerKey() {
        return POLICE.findAll(postRequestedFor(urlEqualTo("/intake"))).stream()
                .filter(request -> request.containsHeader("Idempotency-Key"))
                .collect(Collectors.groupingBy(request -> request.getHeader("Idempotency-Key"), Collectors.counting()));
    }

    /** How many requests the police stub received for each source event ({@code incident.source.eventId}), from one read. */
    protected static Map<String, Long> policeRequestsPerEvent() {
        Map<String, Long> perEvent = new HashMap<>();
        for (LoggedRequest request : POLICE.findAll(postRequestedFor(urlEqualTo("/intake")))) {
            try {
                String eventId = JSON.readTree(request.getBodyAsString()).path("incident").path("source").path("eventId").asText("");
                perEvent.merge(eventId, 1L, Long::sum);
            } catch (IOException notJson) {
                perEvent.merge("", 1L, Long::sum);
            }
        }
        return perEvent;
    }

    protected static List<LoggedRequest> policeRequestsForEvent(String eventId) {
        return POLICE.findAll(postRequestedFor(urlEqualTo("/intake")).withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.incident.source.eventId",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(eventId))));
    }

    /** The journey steps of one incident, in order. */
    protected List<Journey.Step> steps(String incidentId) {
        return journey.ofIncident(incidentId).stream().map(Journey.Entry::step).toList();
    }

    /** The steps of one incident on its way to one partner (with the incident's own steps: received, duplicate...). */
    protected List<Journey.Step> steps(String incidentId, String partner) {
        return journey.ofIncident(incidentId).stream()
                .filter(e -> partner.equals(e.partnerId()) || e.referralId() == null)
                .map(Journey.Entry::step).toList();
    }

    protected long messagesAdded(String queue) {
        Queue q = broker.getActiveMQServer().locateQueue(queue);
        return q == null ? 0 : q.getMessagesAdded();
    }

    protected long messageCount(String queue) {
        Queue q = broker.getActiveMQServer().locateQueue(queue);
        return q == null ? 0 : q.getMessageCount();
    }
}

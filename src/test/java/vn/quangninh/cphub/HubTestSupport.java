package vn.quangninh.cphub;

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
import java.util.UUID;

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

/**
 * The hub as it runs by default — embedded Artemis with its journal on disk, H2 file store, real HTTP on a
 * random port — with the police intake played by a real HTTP stub (WireMock). Test classes that extend
 * this share one running hub; each test uses its own source event ids.
 */
@CamelSpringBootTest
@SpringBootTest(classes = CpHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class HubTestSupport {

    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static final String HOTLINE = "hotline-crm";
    protected static final String HOTLINE_SECRET = "hotline-crm-dev-secret";

    /** The police intake server: outside the hub, so a stub. */
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
        registry.add("cphub.broker.redelivery-delay", () -> "100ms");
        registry.add("cphub.broker.max-redelivery-delay", () -> "1s");
        registry.add("cphub.delivery.max-attempts", () -> "4");
        registry.add("cphub.broker.max-delivery-attempts", () -> "6");
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected Journey journey;
    @Autowired
    protected EmbeddedActiveMQ broker;
    @Autowired
    protected JmsTemplate jms;

    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void policeAcceptsByDefault() {
        POLICE.resetAll();
        POLICE.stubFor(post(urlEqualTo("/intake")).atPriority(10).willReturn(aResponse().withStatus(201)));
    }

    /** A valid synthetic incident with signs of crime (so routed to police). No real person. */
    protected static ObjectNode incident(String eventId) {
        try {
            return (ObjectNode) JSON.readTree("""
                    {"schemaVersion":"1","messageType":"alert",
                     "source":{"system":"hotline-crm","eventId":"%s","channel":"hotline"},
                     "occurredAt":"2026-11-28T14:05:00+07:00","category":"violence","certainty":"suspected",
                     "priority":2,"signsOfCrime":true,
                     "location":{"commune":"Hong Gai","district":"Ha Long","address":"12 Synthetic Street","lat":20.95,"lon":107.08},
                     "subjects":[{"role":"victim","name":"Synthetic Child Alpha","birthDate":"2016-03-01","sex":"female",
                                  "identifiers":[{"system":"school-roll","value":"SR-0001"}]}],
                     "reporter":{"line":"111","callerNumber":"0900000001","numberWithheld":false,"ticketId":"%s"},
                     "codes":[{"system":"ICD-10","code":"T74.1"}],
                     "narrative":"Synthetic narrative for tests.","legalBasis":"crime_prevention"}
                    """.formatted(eventId, eventId));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static String newEventId() {
        return "T-" + UUID.randomUUID();
    }

    protected HttpResponse<String> postIncident(String partner, String secret, String contentType, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/incidents"))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (partner != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((partner + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> postIncident(ObjectNode incident) throws IOException, InterruptedException {
        return postIncident(HOTLINE, HOTLINE_SECRET, "application/json", incident.toString().getBytes(StandardCharsets.UTF_8));
    }

    protected static JsonNode json(String body) throws IOException {
        return JSON.readTree(body);
    }

    /** What the police stub received for one referral. */
    protected static List<LoggedRequest> policeRequestsWithKey(String referralId) {
        return POLICE.findAll(postRequestedFor(urlEqualTo("/intake")).withHeader("Idempotency-Key",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo(referralId)));
    }

    protected static List<LoggedRequest> policeRequestsForEvent(String eventId) {
        return POLICE.findAll(postRequestedFor(urlEqualTo("/intake")).withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.incident.source.eventId",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(eventId))));
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

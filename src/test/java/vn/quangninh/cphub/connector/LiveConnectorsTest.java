package vn.quangninh.cphub.connector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.model.ModelCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.LogRecorder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * IT staff add a source connector to a running hub as files only — a route file, the partner's JSON Schema and a
 * JSONata mapping (src/test/resources/live-connector/social-affairs-cases) — with no Java and no restart: within
 * seconds its path serves, a case in the partner's own JSON reaches police as a canonical incident, a misfit case
 * gets 422 naming its fields, a broken edit (not YAML; a route that cannot start) is refused while the running
 * version stays or is put back, and removing the folder
 * stops it and gives the path back to the console. The sink side is YAML too: social affairs, in this hub's
 * partners.yaml, takes its referrals with an API key header (agency-webhook's auth type header).
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class LiveConnectorsTest extends HubTestSupport {

    private static final Path EXAMPLE = Path.of("src/test/resources/live-connector/social-affairs-cases");
    private static final Path CONNECTORS = copyOfTheShippedConnectors();
    private static final Path CONFIG = temporaryFolder("cphub-live-config");
    private static final String PATH = "/partners/social-affairs/cases";
    private static final String BEARER = """
                    auth:
                      type: bearer
                      token: "${SOCIAL_AFFAIRS_WEBHOOK_TOKEN:dev-only-token-social-affairs-0001}"
            """;
    private static final String API_KEY_HEADER = """
                    auth:
                      type: header
                      name: X-Api-Key
                      value: "test-only-api-key-of-social-affairs"
            """;

    private static final String MISSPELT = """
            - templatedRoute:
                routeTemplateRef: http-intake-source
                routeId: misspelt-source
                parameters:
                  - name: path
                    value: /partners/misspelt/reports
                  - name: singIn
                    value: "bean:requestSignatures?method=verify(*,'hotline-crm')"
            """;

    @DynamicPropertySource
    static void liveConnectors(DynamicPropertyRegistry registry) throws IOException {
        // a context of its own (its connectors folder differs): its own broker, store and ports beside the shared one
        secondHub(registry, "cphub-live-connectors", 14, true);
        registry.add("cphub.connectors-dir", CONNECTORS::toString);
        // a source connector whose file misspells a parameter of the shared intake, there before the hub starts
        Files.createDirectories(CONNECTORS.resolve("misspelt-source"));
        Files.writeString(CONNECTORS.resolve("misspelt-source/misspelt-source.camel.yaml"), MISSPELT);
        // the sink side in YAML only: social affairs takes its referrals with an API key header (auth type header)
        Path config = CONFIG;
        for (String name : new String[] {"routing.yaml", "clocks.yaml", "sites.yaml"}) {
            Files.copy(Path.of("config", name), config.resolve(name));
        }
        String partners = Files.readString(Path.of("config/partners.yaml"));
        assertThat(partners).contains(BEARER);
        Files.writeString(config.resolve("partners.yaml"), partners.replace(BEARER, API_KEY_HEADER));
        registry.add("cphub.config-dir", config::toString);
        registry.add("cphub.connectors.reload-interval", () -> "500ms");
    }

    @Autowired
    CamelContext camel;

    @Test
    void aSourceConnectorAddedAsFilesServesAtOnceAndStopsWhenItsFolderIsRemoved() throws Exception {
        Path folder = CONNECTORS.resolve("social-affairs-cases");
        String caseNo = "SA-" + newEventId();
        assertThat(postCase(validCase(caseNo)).statusCode()).as("before: the console's path").isIn(401, 403);

        copy(EXAMPLE, folder);
        await().atMost(Duration.ofSeconds(20)).until(() -> status("social-affairs-cases") == ServiceStatus.Started);

        HttpResponse<String> accepted = postCase(validCase(caseNo));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> policeRequestsForEvent(caseNo).size() == 1);
        JsonNode atPolice = json(policeRequestsForEvent(caseNo).get(0).getBodyAsString()).path("incident");
        assertThat(atPolice.path("source").path("system").asText()).isEqualTo("social-affairs");
        assertThat(atPolice.path("priority").asInt()).isEqualTo(1);
        assertThat(atPolice.path("category").asText()).isEqualTo("neglect");
        assertThat(atPolice.path("location").path("commune").asText()).isEqualTo("Hong Gai");
        // and to social affairs, whose sink authenticates with a header declared in partners.yaml
        await().atMost(Duration.ofSeconds(20)).until(() -> toSocialAffairs(caseNo).size() == 1);
        LoggedRequest atSocialAffairs = toSocialAffairs(caseNo).get(0);
        assertThat(atSocialAffairs.getHeader("X-Api-Key")).isEqualTo("test-only-api-key-of-social-affairs");
        assertThat(atSocialAffairs.containsHeader("Authorization")).isFalse();

        HttpResponse<String> misfit = postCase("{\"caseNo\":\"SA-misfit\",\"reportedOn\":\"yesterday\",\"kind\":\"neglect\","
                + "\"severity\":\"grave\",\"shoeSize\":38}");
        assertThat(misfit.statusCode()).isEqualTo(422);
        assertThat(misfit.body()).contains("case_schema_violation", "/reportedOn", "/severity", "shoeSize");

        LogRecorder log = LogRecorder.of(LiveConnectors.class);
        try {
            Files.writeString(folder.resolve("social-affairs-cases.camel.yaml"), "- route: [ this is not a route", StandardCharsets.UTF_8);
            await().atMost(Duration.ofSeconds(20)).until(() -> log.events().stream().anyMatch(e -> e.getLevel() == Level.ERROR
                    && e.getFormattedMessage().contains("social-affairs-cases/social-affairs-cases.camel.yaml refused")));
            assertThat(log.events()).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("The version that ran before stays"));
            String again = "SA-" + newEventId();
            assertThat(postCase(validCase(again)).statusCode()).as("the running version still serves").isEqualTo(202);

            // valid YAML whose route cannot start: refused, and the version that ran before is put back
            Files.writeString(folder.resolve("social-affairs-cases.camel.yaml"), """
                    - route:
                        id: social-affairs-cases
                        from:
                          uri: platform-http:/partners/social-affairs/cases
                          steps:
                            - to: no-such-component:anywhere
                    """, StandardCharsets.UTF_8);
            await().atMost(Duration.ofSeconds(20)).until(() -> log.events().stream().anyMatch(e -> e.getLevel() == Level.ERROR
                    && e.getFormattedMessage().contains("no-such-component")));
            await().atMost(Duration.ofSeconds(20)).until(() -> status("social-affairs-cases") == ServiceStatus.Started);
            assertThat(postCase(validCase("SA-" + newEventId())).statusCode()).as("put back and serving").isEqualTo(202);

            // a parameter the shared intake does not declare (Camel would take it silently and read canonical
            // incidents instead of the department's cases): refused naming it, the running version stays
            String good = Files.readString(EXAMPLE.resolve("social-affairs-cases.camel.yaml"));
            assertThat(good).contains("- name: read\n");
            Files.writeString(folder.resolve("social-affairs-cases.camel.yaml"), good.replace("- name: read\n", "- name: reed\n"),
                    StandardCharsets.UTF_8);
            await().atMost(Duration.ofSeconds(20)).until(() -> log.events().stream().anyMatch(e -> e.getLevel() == Level.ERROR
                    && e.getFormattedMessage().contains("parameter 'reed' is not one of route template http-intake-source's")));
            HttpResponse<String> stillCases = postCase(validCase("SA-" + newEventId()));
            assertThat(stillCases.statusCode()).as("the cases are still read as cases: " + stillCases.body()).isEqualTo(202);
            Files.writeString(folder.resolve("social-affairs-cases.camel.yaml"), good, StandardCharsets.UTF_8);
        } finally {
            log.close();
        }

        // a copy of another connector whose route id was not changed: refused, and the partner API runs on
        Path copied = CONNECTORS.resolve("partner-api-copy");
        Files.createDirectories(copied);
        LogRecorder copyLog = LogRecorder.of(LiveConnectors.class);
        try {
            Files.writeString(copied.resolve("partner-api-copy.camel.yaml"),
                    Files.readString(CONNECTORS.resolve("partner-api/partner-api.camel.yaml")), StandardCharsets.UTF_8);
            await().atMost(Duration.ofSeconds(20)).until(() -> copyLog.events().stream().anyMatch(e -> e.getLevel() == Level.ERROR
                    && e.getFormattedMessage().contains("route id partner-api is taken by a route of another file")));
            assertThat(status("partner-api")).isEqualTo(ServiceStatus.Started);
            assertThat(postIncident(incident(newEventId())).statusCode()).as("the partner API still takes reports").isEqualTo(202);
        } finally {
            copyLog.close();
            delete(copied);
        }

        delete(folder);
        await().atMost(Duration.ofSeconds(20)).until(() -> camel.getRoute("social-affairs-cases") == null);
        assertThat(postCase(validCase("SA-" + newEventId())).statusCode()).as("after: the console's path again").isIn(401, 403);
    }

    /**
     * A connector file that misspells a parameter is refused at start-up as on a change: its route does not run
     * (Camel would have signed its sender in with HTTP Basic instead of the signature it names), the hub serves the
     * others, and the corrected file runs within seconds.
     */
    @Test
    void aMisspeltParameterAtStartUpIsRefusedAndTheCorrectedFileRuns() throws Exception {
        assertThat(camel.getRoute("misspelt-source")).as("refused at start-up").isNull();
        assertThat(status("partner-api")).isEqualTo(ServiceStatus.Started);
        Files.writeString(CONNECTORS.resolve("misspelt-source/misspelt-source.camel.yaml"), MISSPELT.replace("singIn", "signIn"));
        await().atMost(Duration.ofSeconds(20)).until(() -> status("misspelt-source") == ServiceStatus.Started);
        HttpResponse<String> unsigned = post("/partners/misspelt/reports", incident(newEventId()).toString());
        assertThat(unsigned.statusCode()).as("its sign-in is the CRM's signature, not HTTP Basic: " + unsigned.body()).isEqualTo(401);
        assertThat(unsigned.body()).contains("unsigned");
        delete(CONNECTORS.resolve("misspelt-source"));
        await().atMost(Duration.ofSeconds(20)).until(() -> camel.getRoute("misspelt-source") == null);
    }

    /** bin/new-connector's source, as it comes out, serves on the running hub and its example passes through. */
    @Test
    void aScaffoldedSourceConnectorServesAsItComes() throws Exception {
        Process scaffold = new ProcessBuilder("bin/new-connector", "demo-ngo", "--kind", "source", "--partner", "social-affairs",
                "--dir", CONNECTORS.toString()).redirectErrorStream(true).start();
        String output = new String(scaffold.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(scaffold.waitFor()).as(output).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> status("demo-ngo") == ServiceStatus.Started);

        String reference = "demo-ngo-" + newEventId();
        String example = Files.readString(CONNECTORS.resolve("demo-ngo/examples/first.input.json"))
                .replace("demo-ngo-0001", reference);
        HttpResponse<String> accepted = post("/partners/demo-ngo/reports", example);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> policeRequestsForEvent(reference).size() == 1);
        JsonNode expected = json(Files.readString(CONNECTORS.resolve("demo-ngo/examples/first.expected.json")));
        JsonNode atPolice = json(policeRequestsForEvent(reference).get(0).getBodyAsString()).path("incident");
        assertThat(atPolice.path("priority")).isEqualTo(expected.path("priority"));
        assertThat(atPolice.path("category")).isEqualTo(expected.path("category"));
        assertThat(atPolice.path("source").path("system")).isEqualTo(expected.path("source").path("system"));
    }

    /**
     * A new sink connector folder (a route template) and a partner added to partners.yaml that uses it, on the
     * running hub: the partner gets its sink at once, with an API key header declared in YAML, and loses it when
     * removed; a version whose sink does not fit its connector, or
     * that drops a partner routing.yaml still sends to, is refused and the partners before it stay.
     */
    @Test
    void aPartnerAddedToPartnersYamlIsDeliveredToAtOnceAndARefusedVersionLeavesTheRunningOne() throws Exception {
        Path file = CONFIG.resolve("partners.yaml");
        String original = Files.readString(file);
        LogRecorder log = LogRecorder.of(LivePartners.class);
        // a new sink connector, as files only: bin/new-connector's sink, and a mapping to the court's own body
        Process scaffold = new ProcessBuilder("bin/new-connector", "court-webhook", "--kind", "sink",
                "--dir", CONNECTORS.toString()).redirectErrorStream(true).start();
        String output = new String(scaffold.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(scaffold.waitFor()).as(output).isZero();
        Path court = CONNECTORS.resolve("court-webhook");
        Files.createDirectories(court.resolve("mappings"));
        Files.writeString(court.resolve("mappings/family-court.jsonata"), "{\"courtReference\": key, \"origin\": \"cphub\"}");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> ((ModelCamelContext) camel).getRouteTemplateDefinition("court-webhook") != null);
        POLICE.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathMatching("/family-court/.*")).willReturn(aResponse().withStatus(200)));
        try {
            Files.writeString(file, original + familyCourt("/family-court/referrals"));
            await().atMost(Duration.ofSeconds(20)).until(() -> status("deliver-family-court") == ServiceStatus.Started
                    && status("deliver-family-court-urgent") == ServiceStatus.Started);
            String first = "live-" + newEventId();
            toFamilyCourt(first);
            await().atMost(Duration.ofSeconds(20)).until(() -> at("/family-court/referrals", first).size() == 1);
            LoggedRequest delivered = at("/family-court/referrals", first).get(0);
            assertThat(delivered.getHeader("X-Court-Key")).isEqualTo("test-only-key-of-the-family-court");
            assertThat(json(delivered.getBodyAsString())).as("the court's own body, by its mapping file")
                    .isEqualTo(json("{\"courtReference\":\"" + first + "\",\"origin\":\"cphub\"}"));

            // a sink that does not fit agency-webhook's parameters: refused, the running sink stays as it was
            Files.writeString(file, original + familyCourt("/family-court/referrals").replace("url: http://", "url: gopher://"));
            await().atMost(Duration.ofSeconds(20)).until(() -> log.events().stream().anyMatch(e -> e.getLevel() == Level.ERROR
                    && e.getFormattedMessage().contains("refused") && e.getFormattedMessage().contains("family-court")));
            String second = "live-" + newEventId();
            toFamilyCourt(second);
            await().atMost(Duration.ofSeconds(20)).until(() -> at("/family-court/referrals", second).size() == 1);

            // a changed URL: new routes, the next message goes to the new address
            log.clear();
            Files.writeString(file, original + familyCourt("/family-court/v2/referrals"));
            await().atMost(Duration.ofSeconds(20)).until(() -> log.events().stream().anyMatch(e -> e.getLevel() == Level.INFO
                    && e.getFormattedMessage().contains("delivery routes changed for family-court")));
            String third = "live-" + newEventId();
            toFamilyCourt(third);
            await().atMost(Duration.ofSeconds(20)).until(() -> at("/family-court/v2/referrals", third).size() == 1);

            // the connector itself changed: its template is replaced and the court's routes made again from it
            Path template = court.resolve("court-webhook.kamelet.yaml");
            String version1 = Files.readString(template);
            String anchor = """
                                  name: X-CPHub-Message-Kind
                                  simple: "${exchangeProperty.cphubMessageKind}"
                    """;
            assertThat(version1).contains(anchor);
            String version2 = version1.replace(anchor, anchor + """
                              - setHeader:
                                  name: X-Court-Version
                                  constant: "2"
                    """);
            LogRecorder connectorLog = LogRecorder.of(LiveConnectors.class);
            try {
                Files.writeString(template, version2);
                await().atMost(Duration.ofSeconds(20)).until(() -> connectorLog.events().stream().anyMatch(e ->
                        e.getFormattedMessage().contains("court-webhook.kamelet.yaml changed: route templates [court-webhook] replaced")));
                String fourth = "live-" + newEventId();
                toFamilyCourt(fourth);
                await().atMost(Duration.ofSeconds(20)).until(() -> at("/family-court/v2/referrals", fourth).size() == 1);
                assertThat(at("/family-court/v2/referrals", fourth).get(0).getHeader("X-Court-Version")).isEqualTo("2");

                // a version whose routes cannot be made: refused, the routes made again from the version before
                Files.writeString(template, version2.replace("ref: deliveryOutcome", "ref: deliveryOutcomeMisspelt"));
                await().atMost(Duration.ofSeconds(20)).until(() -> connectorLog.events().stream().anyMatch(e -> e.getLevel() == Level.ERROR
                        && e.getFormattedMessage().contains("court-webhook.kamelet.yaml refused")));
                await().atMost(Duration.ofSeconds(20)).until(() -> status("deliver-family-court") == ServiceStatus.Started);
                String fifth = "live-" + newEventId();
                toFamilyCourt(fifth);
                await().atMost(Duration.ofSeconds(20)).until(() -> at("/family-court/v2/referrals", fifth).size() == 1);
                assertThat(at("/family-court/v2/referrals", fifth).get(0).getHeader("X-Court-Version")).isEqualTo("2");
            } finally {
                connectorLog.close();
            }

            // dropping social affairs, to which routing.yaml sends referrals: refused
            refused(log, file, original.replace("  - id: social-affairs\n", "  - id: social-affairs-old\n")
                    + familyCourt("/family-court/v2/referrals"), "routing.yaml sends referrals to partner 'social-affairs'");
            assertThat(status("deliver-social-affairs")).isEqualTo(ServiceStatus.Started);
            // the supervisor, to whom clocks.yaml escalates: refused as well
            refused(log, file, original.replace("  - id: cp-supervisor\n", "  - id: cp-supervisor-old\n")
                    + familyCourt("/family-court/v2/referrals"), "clocks.yaml escalates to partner 'cp-supervisor'");
            assertThat(status("deliver-cp-supervisor")).isEqualTo(ServiceStatus.Started);

            // the partner removed: its routes stop and go; what is sent to its queue waits there
            Files.writeString(file, original);
            await().atMost(Duration.ofSeconds(20)).until(() -> status("deliver-family-court") == null
                    && status("deliver-family-court-urgent") == null);
            assertThat(log.events()).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains("test-only-key"));
        } finally {
            log.close();
            Files.writeString(file, original);
        }
    }

    /**
     * A partner whose system takes few requests at once: its own numbers of deliveries at once, for the routine queue
     * and for the emergency lane, hold at its server (the hub's default for the emergency lane is 16).
     */
    @Test
    void aPartnerSetsHowManyDeliveriesItTakesAtOnceOnEachLane() throws Exception {
        Path file = CONFIG.resolve("partners.yaml");
        String original = Files.readString(file);
        String path = "/small-shelter/referrals";
        POLICE.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(path))
                .willReturn(aResponse().withStatus(200).withFixedDelay(SMALL_SHELTER_ANSWERS_AFTER_MS)));
        try {
            Files.writeString(file, original + """

                      - id: small-shelter
                        name: A shelter whose server takes three requests at once
                        sink:
                          connector: agency-webhook
                          parameters:
                            url: http://127.0.0.1:%d%s
                            concurrentConsumers: 1
                            urgentConcurrentConsumers: 2
                            auth: {type: none}
                    """.formatted(POLICE.port(), path));
            await().atMost(Duration.ofSeconds(20)).until(() -> status("deliver-small-shelter") == ServiceStatus.Started
                    && status("deliver-small-shelter-urgent") == ServiceStatus.Started);
            String run = newEventId();
            java.util.List<String> urgent = new java.util.ArrayList<>();
            java.util.List<String> routine = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                urgent.add(run + "-urgent-" + i);
                send("cphub.deliver.small-shelter.urgent", "small-shelter", urgent.get(i));
            }
            for (int i = 0; i < 3; i++) {
                routine.add(run + "-routine-" + i);
                send("cphub.deliver.small-shelter", "small-shelter", routine.get(i));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> Stream.concat(urgent.stream(), routine.stream())
                    .allMatch(key -> at(path, key).size() == 1));

            assertThat(mostStartedWithinOneAnswer(path, urgent)).as("emergency deliveries begun within %d ms of each other",
                    SMALL_SHELTER_ANSWERS_AFTER_MS * 3 / 4).isEqualTo(2);
            assertThat(mostStartedWithinOneAnswer(path, routine)).as("routine deliveries begun within %d ms of each other",
                    SMALL_SHELTER_ANSWERS_AFTER_MS * 3 / 4).isEqualTo(1);
        } finally {
            Files.writeString(file, original);
        }
    }

    private static final int SMALL_SHELTER_ANSWERS_AFTER_MS = 800;

    /**
     * The most requests among {@code keys} that reached {@code path} within three quarters of the partner's answer
     * time of one another: the deliveries that were under way at once.
     */
    private static int mostStartedWithinOneAnswer(String path, java.util.List<String> keys) {
        java.util.List<Long> starts = keys.stream().map(key -> at(path, key).get(0).getLoggedDate().getTime()).sorted().toList();
        int most = 0;
        for (int i = 0; i < starts.size(); i++) {
            int j = i;
            while (j < starts.size() && starts.get(j) - starts.get(i) < SMALL_SHELTER_ANSWERS_AFTER_MS * 3 / 4) {
                j++;
            }
            most = Math.max(most, j - i);
        }
        return most;
    }

    /** Writes a version of partners.yaml and waits for its refusal, with {@code why} in the error. */
    private static void refused(LogRecorder log, Path file, String version, String why) throws IOException {
        log.clear();
        Files.writeString(file, version);
        await().atMost(Duration.ofSeconds(20)).until(() -> log.events().stream().anyMatch(e -> e.getLevel() == Level.ERROR
                && e.getFormattedMessage().contains(why)));
    }

    private static String familyCourt(String path) {
        return """

                  - id: family-court
                    name: Family court (added on a running hub)
                    sink:
                      connector: court-webhook
                      parameters:
                        url: http://127.0.0.1:%d%s
                        bodyMapping: family-court.jsonata
                        auth:
                          type: header
                          name: X-Court-Key
                          value: "test-only-key-of-the-family-court"
                """.formatted(POLICE.port(), path);
    }

    /** A message for the family court on its queue, as the hub's outbox puts one there (an escalation notice). */
    private void toFamilyCourt(String key) {
        send("cphub.deliver.family-court", "family-court", key);
    }

    /** A message for a partner on one of its queues, as the hub's outbox puts one there (an escalation notice). */
    private void send(String queue, String partner, String key) {
        java.util.Map<String, Object> headers = new java.util.HashMap<>();
        headers.put("cphubIncidentId", java.util.UUID.randomUUID().toString());
        headers.put("cphubPartner", partner);
        headers.put("cphubMessageKind", "escalation");
        headers.put("cphubDeliveryKey", key);
        camel.createFluentProducerTemplate().to("jms:queue:" + queue).withHeaders(headers)
                .withBody("{\"key\":\"" + key + "\"}").send();
    }

    private static java.util.List<LoggedRequest> at(String path, String key) {
        return POLICE.findAll(postRequestedFor(urlEqualTo(path)).withHeader("Idempotency-Key", equalTo(key)));
    }

    private static java.util.List<LoggedRequest> toSocialAffairs(String eventId) {
        return POLICE.findAll(postRequestedFor(urlEqualTo(SOCIAL_AFFAIRS_PATH)).withRequestBody(
                matchingJsonPath("$.incident.source.eventId", equalTo(eventId))));
    }

    private ServiceStatus status(String routeId) {
        return camel.getRoute(routeId) == null ? null : camel.getRouteController().getRouteStatus(routeId);
    }

    private static String validCase(String caseNo) {
        return "{\"caseNo\":\"" + caseNo + "\",\"reportedOn\":\"2026-11-30T08:00:00+07:00\",\"kind\":\"neglect\","
                + "\"severity\":\"critical\",\"policeMatter\":true,\"commune\":\"Hong Gai\",\"district\":\"Ha Long\","
                + "\"summary\":\"Synthetic case for tests.\"}";
    }

    private HttpResponse<String> postCase(String body) throws Exception {
        return post(PATH, body);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        String basic = Base64.getEncoder().encodeToString("social-affairs:social-affairs-dev-secret".getBytes(StandardCharsets.UTF_8));
        // a client per request: no pooled connection the hub closed after a refusal
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Path temporaryFolder(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copyOfTheShippedConnectors() {
        try {
            Path target = Files.createTempDirectory("cphub-live-connectors");
            copy(Path.of("connectors"), target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.sorted().toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}

package vn.quangninh.cphub.reliability;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.Hl7Client;
import vn.quangninh.cphub.HubProcess;
import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.SyntheticIncidents;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault 1 of the reliability suite: the packaged hub (journal and store on disk) is killed with kill -9
 * {@value #ROUNDS} times while a load driver sends incidents over HTTP, HL7 reports over MLLP and call
 * events over SIP at a set rate, and restarted each time on the same data. Senders see errors while it is
 * down and retry nothing (what they were not told was taken is their own to resend); everything the hub
 * accepted must arrive — every HTTP and HL7 incident at police (one distinct idempotency key each, any
 * redelivery with the same body), every SIP event in the call records — and the figures are printed.
 */
class RepeatedCrashIT {

    private static final int ROUNDS = 3;
    private static final Duration LOAD_PER_ROUND = Duration.ofSeconds(6);

    private final WireMockServer police = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private final HttpClient client = HttpClient.newHttpClient();
    private HubProcess hub;

    /** Per channel: attempts, accepted, errors. */
    private final Map<String, AtomicInteger[]> figures = new ConcurrentHashMap<>();
    private final Set<String> acceptedCalls = ConcurrentHashMap.newKeySet();
    /** The police idempotency keys of the incidents the hub answered as taken (202, AA). */
    private final Set<String> expectedKeys = ConcurrentHashMap.newKeySet();

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

        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> load = List.of(
                driver("http", 50, running, this::http),
                driver("mllp", 200, running, this::hl7),
                driver("sip", 200, running, this::sip));
        load.forEach(Thread::start);
        for (int round = 0; round < ROUNDS; round++) {
            Thread.sleep(LOAD_PER_ROUND.toMillis());
            hub.kill();
            Thread.sleep(1000); // senders meet a dead hub
            hub.start();
        }
        Thread.sleep(LOAD_PER_ROUND.toMillis());
        running.set(false);
        for (Thread t : load) {
            t.join();
        }

        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .until(() -> distinctKeys().containsAll(expectedKeys));
        Thread.sleep(2000); // let late redeliveries land, to be counted
        Map<String, Set<String>> bodiesByKey = new HashMap<>();
        police.findAll(postRequestedFor(urlEqualTo("/intake"))).forEach(r ->
                bodiesByKey.computeIfAbsent(r.getHeader("Idempotency-Key"), k -> new HashSet<>()).add(r.getBodyAsString()));
        long twoEffects = bodiesByKey.values().stream().filter(b -> b.size() > 1).count();
        int policeRequests = police.findAll(postRequestedFor(urlEqualTo("/intake"))).size();
        Set<String> delivered = distinctKeys();
        Set<String> lost = new HashSet<>(expectedKeys);
        lost.removeAll(delivered);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> storedCalls() >= acceptedCalls.size());
        } catch (org.awaitility.core.ConditionTimeoutException reportedBelow) {
            // the table says how many are missing
        }
        long storedCalls = storedCalls();

        StringBuilder table = new StringBuilder(String.format("%nfault: kill -9 of the packaged hub x%d during load "
                + "(HTTP every 50 ms, HL7 over MLLP and SIP MESSAGE every 200 ms)%n", ROUNDS));
        table.append(String.format("  %-5s %9s %9s %14s %10s %5s%n", "", "attempts", "accepted", "errors (down)", "arrived", "lost"));
        for (String channel : List.of("http", "mllp", "sip")) {
            AtomicInteger[] f = figures.get(channel);
            String arrived = channel.equals("sip") ? String.valueOf(storedCalls) : "police";
            table.append(String.format("  %-5s %9d %9d %14d %10s %5s%n", channel, f[0].get(), f[1].get(), f[2].get(), arrived,
                    channel.equals("sip") ? String.valueOf(Math.max(0, acceptedCalls.size() - storedCalls)) : ""));
        }
        table.append(String.format("  incidents accepted (HTTP 202 + HL7 AA): %d; their keys at police: %d; lost: %d; also taken though "
                        + "the sender got no answer: %d; police requests: %d (%d redelivered with the same key); keys with two "
                        + "different bodies: %d%n", expectedKeys.size(), expectedKeys.size() - lost.size(), lost.size(),
                delivered.size() - (expectedKeys.size() - lost.size()), policeRequests, policeRequests - delivered.size(), twoEffects));
        System.out.println(table);

        assertThat(lost).as("every accepted incident reached police").isEmpty();
        assertThat(twoEffects).as("no key delivered with two different effects").isZero();
        assertThat(storedCalls).as("every call event answered 200 is in the call records").isGreaterThanOrEqualTo(acceptedCalls.size());
        assertThat(figures.get("http")[2].get()).as("senders met the dead hub").isPositive();
    }

    private int accepted(String channel) {
        return figures.get(channel)[1].get();
    }

    private Set<String> distinctKeys() {
        Set<String> keys = new HashSet<>();
        police.findAll(postRequestedFor(urlEqualTo("/intake"))).forEach(r -> keys.add(r.getHeader("Idempotency-Key")));
        return keys;
    }

    @FunctionalInterface
    interface Send {
        /** @return true when the hub took it */
        boolean send() throws Exception;
    }

    private Thread driver(String channel, long everyMillis, AtomicBoolean running, Send send) {
        AtomicInteger[] f = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        figures.put(channel, f);
        return new Thread(() -> {
            while (running.get()) {
                f[0].incrementAndGet();
                try {
                    f[send.send() ? 1 : 2].incrementAndGet();
                } catch (Exception down) {
                    f[2].incrementAndGet();
                }
                try {
                    Thread.sleep(everyMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "load-" + channel);
    }

    private boolean http() throws Exception {
        String eventId = SyntheticIncidents.newEventId();
        boolean taken = new PartnerClient(hub.port()).post(SyntheticIncidents.incident(eventId).toString()).statusCode() == 202;
        if (taken) {
            expectedKeys.add(policeKey(PartnerClient.HOTLINE, eventId));
        }
        return taken;
    }

    private static String policeKey(String system, String eventId) {
        return vn.quangninh.cphub.routing.Referral.idFor(vn.quangninh.cphub.incident.Incident.idFor(system, eventId), "police").toString();
    }

    private boolean hl7() throws Exception {
        String controlId = "LOAD-" + UUID.randomUUID().toString().substring(0, 18);
        String report = Files.readString(Path.of("connectors/hospital-hl7-mllp/examples/child-physical-abuse.input.hl7"))
                .replace("EX-HL7-0001", controlId);
        try (Hl7Client hl7 = new Hl7Client(hub.hl7Port())) {
            boolean taken = hl7.send(report).code().equals("AA");
            if (taken) {
                expectedKeys.add(policeKey("hospital-baichay", controlId));
            }
            return taken;
        }
    }

    private boolean sip() throws Exception {
        String callId = "load-" + UUID.randomUUID() + "@pbx";
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(1500);
            String body = "{\"event\":\"call.started\",\"callId\":\"" + callId + "\",\"line\":\"111\",\"at\":\""
                    + java.time.OffsetDateTime.now(ZoneId.of("Asia/Ho_Chi_Minh")).withNano(0) + "\"}";
            String request = "MESSAGE sip:111@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort()
                    + ";branch=z9hG4bK-" + UUID.randomUUID() + "\r\nFrom: <sip:pbx@127.0.0.1>;tag=1\r\nTo: <sip:111@127.0.0.1>\r\n"
                    + "Call-ID: " + callId + "\r\nCSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
            byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), hub.sipPort()));
            byte[] buffer = new byte[4096];
            DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(answer);
            } catch (SocketTimeoutException down) {
                return false;
            }
            boolean ok = new String(buffer, 0, answer.getLength(), StandardCharsets.UTF_8).startsWith("SIP/2.0 200");
            if (ok) {
                acceptedCalls.add(callId);
            }
            return ok;
        }
    }

    /** Calls in the hub's records today (the statistics feed, as the social-affairs department reads it). */
    private long storedCalls() throws Exception {
        long calls = 0;
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Ho_Chi_Minh"));
        for (LocalDate day : List.of(today.minusDays(1), today)) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port()
                            + "/api/v1/statistics/calls?date=" + day)).header("Authorization", "Basic "
                            + java.util.Base64.getEncoder().encodeToString("social-affairs:social-affairs-dev-secret".getBytes(StandardCharsets.UTF_8)))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            calls += new ObjectMapper().readTree(answer.body()).path("calls").asLong();
        }
        return calls;
    }
}

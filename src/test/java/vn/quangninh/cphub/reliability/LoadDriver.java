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

import vn.quangninh.cphub.Haproxy;
import vn.quangninh.cphub.Hl7Client;
import vn.quangninh.cphub.HubProcess;
import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.SyntheticIncidents;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.model.Referral;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reliability suite's load: incidents over HTTP (every 50 ms), HL7 reports over MLLP and call events
 * over SIP MESSAGE (every 200 ms) to one packaged hub (or to several in turn), counting per channel what was tried, taken (202, AA,
 * 200) and refused or unanswered; the police stub records every idempotency key it accepts. Then it
 * checks and prints what arrived: every taken incident at police, every taken call event in the call records.
 */
final class LoadDriver {

    /** What a fault run ends with. */
    record Figures(int expected, int lost, int extra, int policeRequests, long twoEffects, long storedCalls, int acceptedCalls) {

        /** What every fault must end with: nothing accepted lost, no key with two effects, every call event kept. */
        void assertNothingLostNorDoubled() {
            assertThat(lost).as("every accepted incident reached police").isZero();
            assertThat(twoEffects).as("no key delivered with two different effects").isZero();
            assertThat(storedCalls).as("every call event answered 200 is in the call records").isGreaterThanOrEqualTo(acceptedCalls);
        }
    }

    private final List<HubProcess> hubs;
    /** HAProxy in front of the hubs' HTTP and MLLP, or null: straight to the hubs. */
    private final Haproxy front;
    private final AtomicInteger turn = new AtomicInteger();
    private final WireMockServer police;
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, AtomicInteger[]> figures = new ConcurrentHashMap<>();
    private final Set<String> acceptedCalls = ConcurrentHashMap.newKeySet();
    private final Set<String> expectedKeys = ConcurrentHashMap.newKeySet();
    private List<Thread> threads;
    private long callsBefore;

    LoadDriver(HubProcess hub, WireMockServer police) {
        this(List.of(hub), police);
    }

    /** Load spread over several hubs: each message goes to the next hub in turn. */
    LoadDriver(List<HubProcess> hubs, WireMockServer police) {
        this(null, hubs, police);
    }

    /** HTTP and MLLP through HAProxy in front of the hubs; SIP to each hub in turn (the PBX has both). */
    LoadDriver(Haproxy front, List<HubProcess> hubs, WireMockServer police) {
        this.front = front;
        this.hubs = hubs;
        this.police = police;
    }

    private HubProcess hub() {
        return hubs.get(Math.floorMod(turn.getAndIncrement(), hubs.size()));
    }

    void start() throws Exception {
        callsBefore = storedCalls();
        threads = List.of(driver("http", 50, this::http), driver("mllp", 200, this::hl7), driver("sip", 200, this::sip));
        threads.forEach(Thread::start);
    }

    void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
    }

    int refused(String channel) {
        return figures.get(channel)[2].get();
    }

    /** Waits for everything taken to arrive (or the time to run out), prints the table, returns the figures. */
    Figures settle(String fault) throws Exception {
        try {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> distinctKeys().containsAll(expectedKeys) && storedCalls() - callsBefore >= acceptedCalls.size());
        } catch (org.awaitility.core.ConditionTimeoutException reportedBelow) {
            // the table says what is missing
        }
        Thread.sleep(2000); // late redeliveries are counted too
        Map<String, Set<String>> bodiesByKey = new HashMap<>();
        police.findAll(postRequestedFor(urlEqualTo("/intake"))).forEach(r ->
                bodiesByKey.computeIfAbsent(r.getHeader("Idempotency-Key"), k -> new HashSet<>()).add(r.getBodyAsString()));
        long twoEffects = bodiesByKey.values().stream().filter(b -> b.size() > 1).count();
        int requests = police.findAll(postRequestedFor(urlEqualTo("/intake"))).size();
        Set<String> delivered = distinctKeys();
        Set<String> lost = new HashSet<>(expectedKeys);
        lost.removeAll(delivered);
        long stored = storedCalls() - callsBefore;

        StringBuilder table = new StringBuilder(String.format("%nfault: %s (HTTP every 50 ms, HL7 over MLLP and SIP MESSAGE every 200 ms)%n", fault));
        table.append(String.format("  %-5s %9s %9s %14s %10s %5s%n", "", "attempts", "accepted", "errors (down)", "arrived", "lost"));
        for (String channel : List.of("http", "mllp", "sip")) {
            AtomicInteger[] f = figures.get(channel);
            table.append(String.format("  %-5s %9d %9d %14d %10s %5s%n", channel, f[0].get(), f[1].get(), f[2].get(),
                    channel.equals("sip") ? String.valueOf(stored) : "police",
                    channel.equals("sip") ? String.valueOf(Math.max(0, acceptedCalls.size() - stored)) : ""));
        }
        table.append(String.format("  incidents accepted (HTTP 202 + HL7 AA): %d; their keys at police: %d; lost: %d; also taken though "
                        + "the sender got no answer: %d; police requests: %d (%d redelivered with the same key); keys with two "
                        + "different bodies: %d%n", expectedKeys.size(), expectedKeys.size() - lost.size(), lost.size(),
                delivered.size() - (expectedKeys.size() - lost.size()), requests, requests - delivered.size(), twoEffects));
        System.out.println(table);
        int refused = figures.values().stream().mapToInt(f -> f[2].get()).sum();
        long storedOfAccepted = Math.min(stored, acceptedCalls.size());
        FaultTable.add(fault, expectedKeys.size() + acceptedCalls.size(),
                (int) (expectedKeys.size() - lost.size() + storedOfAccepted),
                (int) (lost.size() + acceptedCalls.size() - storedOfAccepted), twoEffects, refused,
                String.format("incidents (HTTP, HL7) %d taken / %d at police; call events (SIP) %d taken / %d in the records",
                        expectedKeys.size(), expectedKeys.size() - lost.size(), acceptedCalls.size(), stored));
        return new Figures(expectedKeys.size(), lost.size(), delivered.size() - (expectedKeys.size() - lost.size()), requests,
                twoEffects, stored, acceptedCalls.size());
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

    private Thread driver(String channel, long everyMillis, Send send) {
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

    private static String policeKey(String system, String eventId) {
        return Referral.idFor(Incident.idFor(system, eventId), "police").toString();
    }

    private boolean http() throws Exception {
        String eventId = SyntheticIncidents.newEventId();
        boolean taken = new PartnerClient(front != null ? front.port() : hub().port()).post(SyntheticIncidents.incident(eventId).toString()).statusCode() == 202;
        if (taken) {
            expectedKeys.add(policeKey(PartnerClient.HOTLINE, eventId));
        }
        return taken;
    }

    private boolean hl7() throws Exception {
        String controlId = "LOAD-" + UUID.randomUUID().toString().substring(0, 18);
        String report = Files.readString(Path.of("connectors/hospital-hl7-mllp/examples/child-physical-abuse.input.hl7"))
                .replace("EX-HL7-0001", controlId);
        try (Hl7Client hl7 = new Hl7Client(front != null ? front.hl7Port() : hub().hl7Port())) {
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
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), hub().sipPort()));
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

    /** Calls in the hub's records today and yesterday (the statistics feed, as the social-affairs department reads it). */
    long storedCalls() throws Exception {
        long calls = 0;
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Ho_Chi_Minh"));
        for (LocalDate day : List.of(today.minusDays(1), today)) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hubs.get(0).port()
                            + "/api/v1/statistics/calls?date=" + day)).header("Authorization", "Basic "
                            + java.util.Base64.getEncoder().encodeToString("social-affairs:social-affairs-dev-secret".getBytes(StandardCharsets.UTF_8)))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            calls += new ObjectMapper().readTree(answer.body()).path("calls").asLong();
        }
        return calls;
    }
}

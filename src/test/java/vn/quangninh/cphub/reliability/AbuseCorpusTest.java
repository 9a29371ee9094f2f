package vn.quangninh.cphub.reliability;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.Hl7Client;
import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.hotline.Sipp;
import vn.quangninh.cphub.model.Referral;
import vn.quangninh.cphub.security.Hmac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The abuse corpus (src/test/resources/abuse/, written by its generate.py): hundreds of hostile requests —
 * XXE and entity expansion on every XML entry point, oversize bodies and images, deep, huge and malformed
 * JSON, invalid UTF-8, truncated and garbage MLLP frames, malformed SIP, forged and replayed signatures,
 * wrong and missing credentials, a partner posting as another, console writes as a viewer — sent to the
 * running hub while a partner keeps posting valid incidents. Every case must get its documented answer,
 * the hub must stay up, and every valid incident accepted meanwhile must reach the police. Prints the
 * figures per category.
 */
class AbuseCorpusTest extends HubTestSupport {

    private static final Path CORPUS = Path.of("src/test/resources/abuse");
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Result(String category, String name, boolean asDocumented, String got) {
    }

    private static final String PLANTED_NAME = "Synthetic Child Alpha";

    @Test
    void everyHostileRequestGetsItsDocumentedAnswerWhileValidTrafficIsDelivered() throws Exception {
        // a child's report kept in cphub.invalid, its name first (within what a queue browse would show): no
        // console request of the corpus may bring it back
        com.fasterxml.jackson.databind.node.ObjectNode planted = JSON.createObjectNode();
        planted.set("subjects", incident("x").get("subjects"));
        planted.setAll(incident(newEventId()));
        planted.put("priority", 9);
        assertThat(postIncident(planted).statusCode()).isEqualTo(422);

        List<Path> files;
        try (Stream<Path> walk = Files.walk(CORPUS)) {
            files = walk.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).as("the corpus").hasSizeGreaterThanOrEqualTo(550);

        AtomicBoolean running = new AtomicBoolean(true);
        List<String> accepted = new CopyOnWriteArrayList<>();
        Thread valid = new Thread(() -> {
            while (running.get()) {
                try {
                    HttpResponse<String> answer = postIncident(incident(newEventId()));
                    if (answer.statusCode() == 202) {
                        accepted.add(json(answer.body()).get("incidentId").asText());
                    }
                    Thread.sleep(100);
                } catch (Exception e) {
                    // counted below: every accepted one must arrive
                }
            }
        }, "valid-traffic");
        valid.start();

        List<Result> results = new ArrayList<>();
        for (Path file : files) {
            JsonNode spec = JSON.readTree(file.toFile());
            String got;
            try {
                got = switch (spec.get("channel").asText()) {
                    case "http" -> http(spec);
                    case "mllp" -> mllp(spec);
                    case "sip" -> sip(spec);
                    default -> "unknown channel";
                };
            } catch (Exception e) {
                got = "exception " + e.getClass().getSimpleName();
            }
            results.add(new Result(spec.get("category").asText(), spec.get("name").asText(), matches(spec.get("expect"), got), got));
        }
        running.set(false);
        valid.join();

        // the listeners still take valid traffic of every kind
        assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("\"UP\"");
        try (Hl7Client hl7 = new Hl7Client(hl7Port)) {
            String report = Files.readString(Path.of("connectors/hospital-hl7-mllp/examples/child-physical-abuse.input.hl7"))
                    .replace("BC-EX-0001", "BC-ABUSE-" + System.nanoTime());
            assertThat(hl7.send(report).code()).as("MLLP after the garbage").isEqualTo("AA");
        }
        String event = "{\"event\":\"call.started\",\"callId\":\"after-abuse-" + System.nanoTime() + "\",\"at\":\"2026-11-28T10:00:00+07:00\"}";
        assertThat(Sipp.message(SIP_PORT, "127.0.0.1", "application/json", "", event, 1, 200)).as("SIP after the garbage").isZero();
        List<String> referrals = accepted.stream().map(id -> Referral.idFor(java.util.UUID.fromString(id), "police").toString()).toList();
        await().atMost(Duration.ofSeconds(60)).until(() -> policeRequestsPerKey().keySet().containsAll(referrals));

        Map<String, int[]> table = new TreeMap<>();
        for (Result r : results) {
            int[] row = table.computeIfAbsent(r.category(), c -> new int[2]);
            row[0]++;
            row[1] += r.asDocumented() ? 1 : 0;
        }
        StringBuilder printed = new StringBuilder("\nabuse corpus                   cases  as documented\n");
        table.forEach((category, row) -> printed.append(String.format("  %-28s %5d  %13d%n", category, row[0], row[1])));
        printed.append(String.format("  %-28s %5d  %13d%n", "all", results.size(), results.stream().filter(Result::asDocumented).count()));
        printed.append(String.format("valid incidents sent meanwhile: %d accepted, %d delivered to police, 0 lost%n", accepted.size(), accepted.size()));
        System.out.println(printed);
        long asDocumented = results.stream().filter(Result::asDocumented).count();
        FaultTable.add("abuse corpus: " + results.size() + " hostile requests, valid incidents meanwhile", accepted.size(),
                accepted.size(), 0, 0, results.size(), asDocumented + " of " + results.size() + " hostile requests got their documented answer");
        assertThat(accepted).as("valid traffic flowed during the abuse").hasSizeGreaterThan(10);
        assertThat(results.stream().filter(r -> !r.asDocumented()).map(r -> r.category() + "/" + r.name() + ": got " + r.got()))
                .as("cases without their documented answer").isEmpty();
    }

    /** "status error" of an HTTP case (error when the answer is the hub's JSON error). */
    private String http(JsonNode spec) throws Exception {
        byte[] body = body(spec);
        String method = spec.path("method").asText("POST");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + spec.get("path").asText()))
                .timeout(Duration.ofSeconds(30));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (spec.hasNonNull("contentType") && !spec.get("contentType").asText().isEmpty()) {
            request.header("Content-Type", spec.get("contentType").asText());
        }
        String auth = spec.path("auth").asText(null);
        if (auth != null) {
            if (auth.startsWith("raw:")) {
                request.header("Authorization", auth.substring(4));
            } else {
                String credentials = auth.startsWith("console:") ? auth.substring(8) : auth;
                request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
            }
        }
        JsonNode sign = spec.get("sign");
        if (sign != null) {
            sign(request, sign, body);
        }
        HttpResponse<String> answer;
        try {
            answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException closed) {
            return "closed"; // the hub answered early (413) and closed while a huge body was still being sent
        }
        if (sign != null && sign.path("replay").asBoolean(false)) {
            assertThat(answer.statusCode()).as("the first of a replayed pair is taken").isEqualTo(202);
            answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        if (showsChild(answer.body())) {
            return answer.statusCode() + " LEAK: the planted child's report came back";
        }
        String error = "";
        try {
            error = errorOf(JSON.readTree(answer.body()));
        } catch (Exception notJson) {
            // the console's pages are not JSON
        }
        return answer.statusCode() + " " + error;
    }

    /**
     * The hub's JSON error code, or for Jolokia's answers "jolokia-" and its own status ("jolokia-403" a refusal;
     * "jolokia-200-read" a read-only request answered; "jolokia-200-exec" something executed).
     */
    private static String errorOf(JsonNode body) {
        if (body.has("request") && body.path("status").isInt()) {
            int status = body.get("status").asInt();
            String type = body.path("request").path("type").asText();
            return "jolokia-" + status + (status == 200 ? ("exec".equals(type) || "write".equals(type) ? "-exec" : "-read") : "");
        }
        return body.path("error").asText("");
    }

    /** The planted report's identity as text, or as a bytes message's body preview (its bytes in decimal). */
    private static boolean showsChild(String body) {
        for (String value : List.of(PLANTED_NAME, "0900000001")) {
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

    private void sign(HttpRequest.Builder request, JsonNode sign, byte[] body) {
        String secret = sign.path("secret").asText();
        String timestamp = sign.has("timestamp") ? sign.get("timestamp").asText()
                : String.valueOf(CLOCK.instant().getEpochSecond() + sign.path("skewSeconds").asLong(0));
        String signed = new String(body, StandardCharsets.UTF_8) + (sign.path("signOtherBody").asBoolean(false) ? "x" : "");
        String hex = Hmac.sha256Hex(secret, timestamp + "." + signed);
        String signature = sign.has("signature") ? sign.get("signature").asText()
                : "sha256=" + (sign.path("upperCaseHex").asBoolean(false) ? hex.toUpperCase() : hex);
        if (!sign.path("signatureOnly").asBoolean(false) && !timestamp.isEmpty()) {
            request.header("X-CRM-Timestamp", timestamp);
        }
        if (!sign.path("timestampOnly").asBoolean(false)) {
            request.header("X-CRM-Signature", signature);
        }
        if (sign.has("bodySuffix")) {
            byte[] changed = (new String(body, StandardCharsets.UTF_8) + sign.get("bodySuffix").asText()).getBytes(StandardCharsets.UTF_8);
            request.method("POST", HttpRequest.BodyPublishers.ofByteArray(changed));
        }
    }

    private static byte[] body(JsonNode spec) {
        if (spec.has("body")) {
            return spec.get("body").asText().getBytes(StandardCharsets.UTF_8);
        }
        if (spec.has("bodyBase64")) {
            return Base64.getDecoder().decode(spec.get("bodyBase64").asText());
        }
        if (spec.has("bodyRepeat")) {
            JsonNode r = spec.get("bodyRepeat");
            String text = r.path("prefix").asText() + r.path("unit").asText().repeat(r.get("count").asInt()) + r.path("suffix").asText();
            return text.getBytes(r.path("latin1").asBoolean(false) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        }
        if (spec.has("bodyNest")) {
            JsonNode n = spec.get("bodyNest");
            int depth = n.get("depth").asInt();
            return (n.get("open").asText().repeat(depth) + n.get("inner").asText() + n.get("close").asText().repeat(depth))
                    .getBytes(StandardCharsets.UTF_8);
        }
        if (spec.has("bodyKeys")) {
            StringBuilder keys = new StringBuilder("{");
            for (int i = 0; i < spec.get("bodyKeys").asInt(); i++) {
                keys.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
            }
            return keys.append('}').toString().getBytes(StandardCharsets.UTF_8);
        }
        return null;
    }

    /** The acknowledgement code of an MLLP case, or "none" when the hub answered nothing (and closed or waited). */
    private String mllp(JsonNode spec) throws Exception {
        byte[] frame = spec.has("frameBase64") ? Base64.getDecoder().decode(spec.get("frameBase64").asText())
                : spec.get("frame").asText().getBytes(StandardCharsets.ISO_8859_1);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", hl7Port), 3000);
            socket.setSoTimeout(3000);
            OutputStream out = socket.getOutputStream();
            out.write(frame);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            try {
                int b;
                while ((b = in.read()) >= 0 && b != 0x1c) {
                    answer.append((char) b);
                }
            } catch (SocketTimeoutException | java.net.SocketException quiet) {
                // nothing more
            }
            int msa = answer.indexOf("MSA|");
            return msa < 0 ? "none" : answer.substring(msa + 4, Math.min(answer.length(), msa + 6));
        }
    }

    /** The SIP status of a SIP case (a datagram from 127.0.0.1), or "none". */
    private String sip(JsonNode spec) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(2000);
            byte[] datagram = spec.get("datagram").asText().replace("{port}", String.valueOf(socket.getLocalPort()))
                    .getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), SIP_PORT));
            byte[] buffer = new byte[65536];
            DatagramPacket response = new DatagramPacket(buffer, buffer.length);
            try {
                while (true) {
                    socket.receive(response);
                    String line = new String(buffer, 0, response.getLength(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
                    if (line.startsWith("SIP/2.0 1")) {
                        continue; // provisional
                    }
                    return line.startsWith("SIP/2.0 ") ? line.substring(8, 11) : "none";
                }
            } catch (SocketTimeoutException quiet) {
                return "none";
            }
        }
    }

    private static boolean matches(JsonNode expect, String got) {
        List<String> parts = Arrays.asList(got.split(" ", 2));
        if (expect.has("status")) {
            if (!Arrays.asList(expect.get("status").asText().split("\\|")).contains(parts.get(0))) {
                return false;
            }
            return !expect.has("error") || (parts.size() > 1 && parts.get(1).equals(expect.get("error").asText()));
        }
        String wanted = expect.has("ack") ? expect.get("ack").asText() : expect.get("sipStatus").asText();
        return Arrays.asList(wanted.split("\\|")).contains(got);
    }
}

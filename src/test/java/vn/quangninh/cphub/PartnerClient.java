package vn.quangninh.cphub;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A partner system posting to the hub's partner API over real HTTP. */
public final class PartnerClient {

    public static final String HOTLINE = "hotline-crm";
    public static final String HOTLINE_SECRET = "hotline-crm-dev-secret";

    /**
     * One client (and its pool of keep-alive connections) for every partner the tests play: a client per post
     * left each connection open until the server's keep-alive ran out, and a test posting a few hundred
     * incidents reached the hub's cap of open connections per address (web.AddressCappedNioProtocol).
     */
    private static final HttpClient SHARED = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpClient http = SHARED;
    private final int port;

    public PartnerClient(int port) {
        this.port = port;
    }

    public HttpResponse<String> post(String partner, String secret, String contentType, byte[] body)
            throws IOException, InterruptedException {
        return post("/api/v1/incidents", partner, secret, contentType, body);
    }

    public HttpResponse<String> post(String path, String partner, String secret, String contentType, byte[] body)
            throws IOException, InterruptedException {
        return post(path, partner, secret, contentType, body, Duration.ofSeconds(20));
    }

    /** Posts as the hotline CRM, waiting up to {@code timeout} for the answer. */
    public HttpResponse<String> post(String json, Duration timeout) throws IOException, InterruptedException {
        return post("/api/v1/incidents", HOTLINE, HOTLINE_SECRET, "application/json", json.getBytes(StandardCharsets.UTF_8), timeout);
    }

    private HttpResponse<String> post(String path, String partner, String secret, String contentType, byte[] body,
                                      Duration timeout) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout)
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

    /** The development signing secret of the hotline CRM (config/partners.yaml). */
    public static final String CRM_SIGNING_SECRET = "dev-only-signing-secret-of-the-hotline-crm-01";

    /** Posts a request signed as the hotline CRM signs its tickets, at {@code signedAt} (unix seconds). */
    public HttpResponse<String> postSigned(String path, String secret, long signedAt, byte[] body)
            throws IOException, InterruptedException {
        String timestamp = String.valueOf(signedAt);
        String signature = "sha256=" + vn.quangninh.cphub.security.Hmac.sha256Hex(secret,
                timestamp + "." + new String(body, StandardCharsets.UTF_8));
        return postWithHeaders(path, body, "X-CRM-Timestamp", timestamp, "X-CRM-Signature", signature);
    }

    public HttpResponse<String> postWithHeaders(String path, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts as the hotline CRM. */
    public HttpResponse<String> post(String json) throws IOException, InterruptedException {
        return post(HOTLINE, HOTLINE_SECRET, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }
}

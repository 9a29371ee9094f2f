package vn.quangninh.cphub;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * A console session over real HTTP, as a script or Hawtio uses it: its own cookies (the XSRF-TOKEN among them)
 * and HTTP Basic credentials of a development console user ({@code <user>} / {@code <user>-dev}); null: anonymous.
 */
public final class ConsoleClient {

    private final CookieManager cookies = new CookieManager();
    private final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private final String authorization;

    public ConsoleClient(int port, String user) {
        this.port = port;
        this.authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-dev").getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) {
            r.headers(headers);
        }
        return send(r);
    }

    /** POST to Jolokia with the CSRF token, as Hawtio does. */
    public HttpResponse<String> jolokia(String json) throws Exception {
        return jolokiaAt("/actuator/jolokia", json);
    }

    public HttpResponse<String> jolokiaAt(String path, String json, String... headers) throws Exception {
        get("/actuator/jolokia/version");
        return postJson(path, json, headers);
    }

    /** POST a JSON body with the CSRF token of this session (a GET first, if none yet). */
    public HttpResponse<String> post(String path, String json) throws Exception {
        if (csrfToken().isEmpty()) {
            get("/actuator/health");
            get("/api/ops/v1/queues");
        }
        return postJson(path, json);
    }

    /** POST a JSON body without a CSRF token. */
    public HttpResponse<String> postWithoutCsrf(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> postJson(String path, String json, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json").header("X-XSRF-TOKEN", csrfToken())
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            r.headers(headers);
        }
        return send(r);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public String csrfToken() {
        return cookies.getCookieStore().get(uri("/")).stream()
                .filter(c -> c.getName().equals("XSRF-TOKEN")).map(HttpCookie::getValue).findFirst().orElse("");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}

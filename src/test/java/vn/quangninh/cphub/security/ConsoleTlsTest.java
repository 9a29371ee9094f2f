package vn.quangninh.cphub.security;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console served over TLS by Spring Boot's own settings (README, "TLS for the console"): the session
 * cookie is then Secure as well as HttpOnly and SameSite=Strict, and so is the CSRF cookie.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ConsoleTlsTest extends HubTestSupport {

    private static final String PASSWORD = "console-tls-test";
    private static final Path KEYSTORE = TestKeys.keyPair("console", "127.0.0.1", "ip:127.0.0.1", PASSWORD);

    @DynamicPropertySource
    static void overTls(DynamicPropertyRegistry registry) throws IOException {
        secondHub(registry, "cphub-console-tls", 13, true);
        registry.add("server.ssl.enabled", () -> "true");
        registry.add("server.ssl.key-store", KEYSTORE::toString);
        registry.add("server.ssl.key-store-password", () -> PASSWORD);
        registry.add("server.ssl.key-store-type", () -> "PKCS12");
    }

    @Test
    void overTlsTheSessionAndCsrfCookiesAreSecure() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(KEYSTORE)).build();
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        String xsrf = cookie(page, "XSRF-TOKEN");
        assertThat(xsrf).contains("Secure").contains("SameSite=Strict");
        String token = xsrf.substring("XSRF-TOKEN=".length(), xsrf.indexOf(';'));
        HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "XSRF-TOKEN=" + token)
                .POST(HttpRequest.BodyPublishers.ofString("username=viewer&password=viewer-dev&_csrf=" + token)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(cookie(login, "JSESSIONID")).contains("Secure").contains("HttpOnly").contains("SameSite=Strict");
    }

    private static String cookie(HttpResponse<String> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + response.headers().map()));
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}

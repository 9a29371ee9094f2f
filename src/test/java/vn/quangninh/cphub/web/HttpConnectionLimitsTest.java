package vn.quangninh.cphub.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.ShippedLimitsHub;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A slowloris and idle connections against the HTTP listener while a partner reports: the attacker's address
 * holds at most its cap of connections (the rest are closed at once), silent connections are dropped after
 * the read timeout, and the partner's report and the health check get through all along.
 */
class HttpConnectionLimitsTest extends ShippedLimitsHub {

    private static final int CAP = 100;

    @Test
    void aSlowlorisHoldsNoMoreThanItsCapWhileAPartnerReports() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 3 * CAP; i++) {
                Socket socket = from("127.0.0.50");
                socket.getOutputStream().write(("POST /api/v1/incidents HTTP/1.1\r\nHost: hub\r\nX-Slow-" + i + ": 1\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                slow.add(socket);
            }
            Thread.sleep(1000);
            // a header line every few seconds keeps each open connection from timing out
            for (Socket socket : slow) {
                try {
                    socket.getOutputStream().write("X-More: 1\r\n".getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException closedByTheHub) {
                    // counted below
                }
            }
            long open = slow.stream().filter(HttpConnectionLimitsTest::stillOpen).count();
            assertThat(open).as("connections the slowloris holds").isLessThanOrEqualTo(CAP).isGreaterThan(CAP / 2);

            long started = System.nanoTime();
            var answer = postIncident(incident(newEventId()));
            assertThat(answer.statusCode()).as("the partner's report during the attack").isEqualTo(202);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            var health = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).contains("\"UP\"");
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void silentConnectionsAndStalledBodiesAreDroppedAfterTheReadTimeout() throws Exception {
        CompletableFuture<Closed> idle = CompletableFuture.supplyAsync(() -> closedAfter("127.0.0.51", ""));
        CompletableFuture<Closed> stalledHeaders = CompletableFuture.supplyAsync(() ->
                closedAfter("127.0.0.52", "GET /actuator/health HTTP/1.1\r\nHost: hub\r\n"));
        CompletableFuture<Closed> stalledBody = CompletableFuture.supplyAsync(() ->
                closedAfter("127.0.0.53", "POST /api/v1/incidents HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 2000\r\n\r\n{\"schemaVersion\":"));
        System.out.printf("closed after: idle %s, stalled headers %s, stalled body %s%n", idle.get().time(),
                stalledHeaders.get().time(), stalledBody.get().time());
        for (var closed : List.of(idle, stalledHeaders)) {
            assertThat(closed.get().time()).as("closed by the hub (10 s read timeout)").isBetween(Duration.ofSeconds(8), Duration.ofSeconds(15));
        }
        // a stalled body is answered 408 after one timeout; Tomcat then waits one more for the rest before closing
        assertThat(stalledBody.get().answer()).startsWith("HTTP/1.1 408").contains("Request Timeout");
        assertThat(stalledBody.get().time()).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(25));
    }

    record Closed(Duration time, String answer) {
    }

    /** How long until the hub ends a connection that sent this and then nothing more, and what it answered. */
    private Closed closedAfter(String address, String sent) {
        long started = System.nanoTime();
        StringBuilder answer = new StringBuilder();
        try (Socket socket = from(address)) {
            socket.getOutputStream().write(sent.getBytes(StandardCharsets.ISO_8859_1));
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            int b;
            while ((b = in.read()) >= 0) {
                answer.append((char) b);
            }
        } catch (SocketException reset) {
            // closed
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Closed(Duration.ofNanos(System.nanoTime() - started), answer.toString());
    }

    private Socket from(String address) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(address, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return socket;
    }

    private static boolean stillOpen(Socket socket) {
        try {
            socket.setSoTimeout(5);
            return socket.getInputStream().read() >= 0;
        } catch (SocketTimeoutException open) {
            return true;
        } catch (IOException closed) {
            return false;
        }
    }
}

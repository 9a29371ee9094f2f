package vn.quangninh.cphub;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A standalone Apache ActiveMQ Artemis broker from the distribution Maven unpacks in
 * {@code pre-integration-test} (property {@code artemis.home}), configured with the hub's
 * {@code config/broker/broker.xml} on a free port, with login required.
 */
public final class StandaloneBroker implements AutoCloseable {

    public static final String USER = "cphub";
    public static final String PASSWORD = "cphub-it-secret";

    private final Path instance;
    private final int port;
    private Process process;

    public StandaloneBroker(Path instance) throws IOException {
        this.instance = instance;
        this.port = HubProcess.freePort();
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public StandaloneBroker createAndStart() throws Exception {
        Path home = Path.of(System.getProperty("artemis.home", "target/artemis-dist/apache-artemis-2.40.0"));
        Path artemis = home.resolve("bin/artemis");
        if (!Files.isExecutable(artemis)) {
            throw new IllegalStateException(artemis + " is missing: the broker tests run in 'verify'");
        }
        run(new ProcessBuilder(artemis.toString(), "create", instance.toString(), "--silent", "--force",
                "--user", USER, "--password", PASSWORD, "--role", "amq", "--require-login", "--nio",
                "--host", "127.0.0.1", "--no-web", "--no-amqp-acceptor", "--no-mqtt-acceptor",
                "--no-stomp-acceptor", "--no-hornetq-acceptor"), Duration.ofSeconds(90));
        String brokerXml = Files.readString(Path.of("config/broker/broker.xml"), StandardCharsets.UTF_8)
                .replace("tcp://0.0.0.0:61616", "tcp://127.0.0.1:" + port);
        Files.writeString(instance.resolve("etc/broker.xml"), brokerXml, StandardCharsets.UTF_8);
        start();
        return this;
    }

    public void start() throws Exception {
        process = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(instance.resolve("broker-console.log").toFile()))
                .start();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("broker exited; see " + instance.resolve("broker-console.log"));
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("broker did not open port " + port);
    }

    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    @Override
    public void close() throws InterruptedException {
        HubProcess.stop(process);
    }

    private static void run(ProcessBuilder builder, Duration timeout) throws Exception {
        Process p = builder.redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", builder.command()) + " failed:\n" + output);
        }
    }
}

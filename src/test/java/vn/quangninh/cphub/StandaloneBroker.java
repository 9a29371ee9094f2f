package vn.quangninh.cphub;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
    private final Map<String, String> environment = new java.util.HashMap<>();
    private Process process;

    public StandaloneBroker(Path instance) throws IOException {
        this.instance = instance;
        this.port = HubProcess.freePort();
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public StandaloneBroker createAndStart() throws Exception {
        create("broker.xml", Map.of("tcp://0.0.0.0:61616", "tcp://127.0.0.1:" + port), Map.of());
        start();
        return this;
    }

    /**
     * Creates the instance with config/broker/{@code brokerXml} as its etc/broker.xml (each key of
     * {@code replacements} replaced by its value) and the files it includes beside it; {@code environment} goes
     * to the broker's process.
     */
    public StandaloneBroker create(String brokerXml, Map<String, String> replacements, Map<String, String> environment) throws Exception {
        Path home = Path.of(System.getProperty("artemis.home", "target/artemis-dist/apache-artemis-2.40.0"));
        Path artemis = home.resolve("bin/artemis");
        if (!Files.isExecutable(artemis)) {
            throw new IllegalStateException(artemis + " is missing: the broker tests run in 'verify'");
        }
        run(new ProcessBuilder(artemis.toString(), "create", instance.toString(), "--silent", "--force",
                "--user", USER, "--password", PASSWORD, "--role", "amq", "--require-login", "--nio",
                "--host", "127.0.0.1", "--no-web", "--no-amqp-acceptor", "--no-mqtt-acceptor",
                "--no-stomp-acceptor", "--no-hornetq-acceptor"), Duration.ofSeconds(90));
        String xml = Files.readString(Path.of("config/broker", brokerXml), StandardCharsets.UTF_8);
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            xml = xml.replace(r.getKey(), r.getValue());
        }
        Files.writeString(instance.resolve("etc/broker.xml"), xml, StandardCharsets.UTF_8);
        try (var included = Files.newDirectoryStream(Path.of("config/broker"), "cphub-*.xml")) {
            for (Path file : included) {
                Files.copy(file, instance.resolve("etc").resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        this.environment.putAll(environment);
        return this;
    }

    public int port() {
        return port;
    }

    /** Starts the broker process and returns at once (a backup opens its port only once it is active). */
    public void launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
    }

    /** The broker's console output. */
    public Path log() {
        return instance.resolve("broker-console.log");
    }

    /** Waits for the broker to take connections (to be the active one of a pair). */
    public void awaitActive(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("broker exited; see " + log());
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("broker did not open port " + port + "; see " + log());
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public void start() throws Exception {
        launch();
        awaitActive(Duration.ofSeconds(60));
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

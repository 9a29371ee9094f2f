package vn.quangninh.cphub;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The packaged hub ({@code target/cphub.jar}, or the same unpacked with its class archive: {@link #archiveIsCurrent()})
 * as its own JVM, run from the project folder (config/, routes/, connectors/) with its data under a folder of the
 * test's choosing. Used by the tests that kill the process or point it at another broker.
 */
public final class HubProcess implements AutoCloseable {

    private final Path dataDir;
    private final Path log;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final int port;
    private final int hl7Port;
    private final int sipPort;
    /** Where the image keeps the unpacked hub and its class-data-sharing archive, and where the tests make them. */
    private static final String IMAGE_APP = "/opt/cphub/app/";
    private static final String IMAGE_APP_IN_TESTS = "target/cphub-cds/";

    private static final Path PACKAGED_JAR = Path.of(System.getProperty("cphub.jar", "target/cphub.jar"));
    private static final Path ARCHIVE = Path.of(IMAGE_APP_IN_TESTS, "cphub.jsa");
    private static final Path ARCHIVED_JAR = Path.of(IMAGE_APP_IN_TESTS, "cphub.jar");

    /**
     * The JIT option of the build's test JVMs ({@code tests.jit} in pom.xml: C1 only, for a faster start), given to
     * the hubs the tests start with the usual options; none outside Maven.
     */
    private static final List<String> TEST_JIT = options(System.getProperty("cphub.hub.jit", ""));

    private final boolean fromArchive = archiveIsCurrent();
    private List<String> jvmOptions = usualOptions(fromArchive);
    private Path jar = fromArchive ? ARCHIVED_JAR : PACKAGED_JAR;
    private String javaCommand = ProcessHandle.current().info().command().orElse("java");
    private Process process;

    public HubProcess(Path dataDir, Map<String, String> settings) throws IOException {
        this.dataDir = dataDir;
        this.port = freePort();
        this.log = Path.of("target", "hub-process-" + dataDir.getFileName() + ".log");
        environment.put("CPHUB_HTTP_PORT", String.valueOf(port));
        environment.put("CPHUB_HTTP_ADDRESS", "127.0.0.1");
        environment.put("CPHUB_DATA_DIR", dataDir.toString());
        this.hl7Port = freePort();
        environment.put("CPHUB_HL7_PORT", String.valueOf(hl7Port));
        this.sipPort = freePort();
        environment.put("CPHUB_SIP_PORT", String.valueOf(sipPort));
        environment.putAll(settings);
    }

    /**
     * Whether the build made the class archive of this very jar ({@code bin/cds-archive} in pre-integration-test,
     * into target/cphub-cds/): then the hubs start as the image starts them, unpacked and from the archive, in about
     * half the time of the packaged jar; else (an older archive, or none: {@code -Dexec.skip=true}) from the jar.
     */
    public static boolean archiveIsCurrent() {
        try {
            return Files.isRegularFile(ARCHIVE) && Files.isRegularFile(ARCHIVED_JAR) && Files.isRegularFile(PACKAGED_JAR)
                    && Files.getLastModifiedTime(ARCHIVE).compareTo(Files.getLastModifiedTime(PACKAGED_JAR)) > 0;
        } catch (IOException unreadable) {
            return false;
        }
    }

    private static List<String> options(String line) {
        return line.isBlank() ? List.of() : List.of(line.trim().split("\\s+"));
    }

    private static List<String> usualOptions(boolean fromArchive) {
        List<String> options = new ArrayList<>(List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"));
        options.addAll(TEST_JIT);
        if (fromArchive) {
            options.add("-XX:SharedArchiveFile=" + ARCHIVE);
        }
        return List.copyOf(options);
    }

    /**
     * The JVM's options instead of the tests' usual {@code -Xmx512m -XX:+ExitOnOutOfMemoryError} (with the build's
     * {@code tests.jit}, and the class archive's when {@link #archiveIsCurrent()}).
     */
    public HubProcess jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    /** The jar to run instead of {@code target/cphub.jar} (e.g. the unpacked hub of {@code bin/cds-archive}). */
    public HubProcess jar(Path jar) {
        this.jar = jar;
        return this;
    }

    /** The JVM to run instead of the tests' own (e.g. a newer JDK's {@code bin/java}). */
    public HubProcess java(Path java) {
        this.javaCommand = java.toString();
        return this;
    }

    /**
     * The JVM options of the image's entry point (the Dockerfile's {@code ENTRYPOINT ["java", ..., "-jar", ...]}), its
     * paths under /opt/cphub/app/ read as target/cphub-cds/, where {@code bin/cds-archive} puts the same files. Given
     * with another jar than {@link #imageJar()}, the JVM finds the archive not made for it and starts without it.
     */
    public static List<String> imageJvmOptions() throws IOException {
        List<String> command = imageEntryPoint();
        return command.subList(1, command.indexOf("-jar"));
    }

    /** The jar of the image's entry point, read as {@link #imageJvmOptions()} reads its paths. */
    public static Path imageJar() throws IOException {
        List<String> command = imageEntryPoint();
        return Path.of(command.get(command.indexOf("-jar") + 1));
    }

    private static List<String> imageEntryPoint() throws IOException {
        String entryPoint = Files.readAllLines(Path.of("Dockerfile")).stream()
                .filter(line -> line.startsWith("ENTRYPOINT ["))
                .findFirst().orElseThrow(() -> new IllegalStateException("the Dockerfile has no ENTRYPOINT [...]"))
                .substring("ENTRYPOINT ".length());
        return List.of(new ObjectMapper().readValue(entryPoint, String[].class)).stream()
                .map(part -> part.replace(IMAGE_APP, IMAGE_APP_IN_TESTS))
                .toList();
    }

    public int port() {
        return port;
    }

    /** The hub's MLLP listener. */
    public int hl7Port() {
        return hl7Port;
    }

    /** The hub's SIP listener (UDP). */
    public int sipPort() {
        return sipPort;
    }

    public Path log() {
        return log;
    }

    public HubProcess start() throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the process tests run in 'verify', after 'package'");
        }
        List<String> command = new ArrayList<>();
        command.add(javaCommand);
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        awaitHealthy(Duration.ofSeconds(120));
        return this;
    }

    /** Waits for the process to end by itself; its exit code, or -1 if it still runs after {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** kill -9: no shutdown hook, no flush, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        stop(process);
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    static void stop(Process process) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }

    private void awaitHealthy(Duration timeout) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the hub exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the hub did not become healthy within " + timeout + "; see " + log);
    }

    /** Ports {@link #freePort} has handed out in this JVM: not handed out twice. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port that no socket holds now, over TCP or UDP, below the kernel's ephemeral range (32768–60999 on Linux) and
     * not handed out before in this JVM. A port the kernel picked ({@code new ServerSocket(0)}) comes from the range
     * that outgoing connections take their local ports from, so one could take it before the hub bound it: a packaged
     * hub's SIP listener once failed to start in CI with "Address already in use".
     */
    public static int freePort() throws IOException {
        for (int tries = 0; tries < 500; tries++) {
            int candidate = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000);
            if (!HANDED_OUT.add(candidate)) {
                continue;
            }
            try (ServerSocket tcp = new ServerSocket(); java.net.DatagramSocket udp = new java.net.DatagramSocket(null)) {
                tcp.bind(new java.net.InetSocketAddress(candidate));
                udp.bind(new java.net.InetSocketAddress(candidate));
                return candidate;
            } catch (IOException taken) {
                // held by something else: another
            }
        }
        throw new IOException("no free port in 20000-31999 after 500 tries");
    }

    public Path dataDir() {
        return dataDir;
    }
}

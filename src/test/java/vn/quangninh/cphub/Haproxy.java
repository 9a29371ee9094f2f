package vn.quangninh.cphub;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * HAProxy (Debian's package, as {@code .ci/run} installs it) in front of hub processes, with the shipped
 * config/haproxy/haproxy.cfg: its listeners and servers moved to this machine's free ports, everything else as
 * docker-compose.ha.yml runs it.
 */
public final class Haproxy implements AutoCloseable {

    private final Path folder;
    private final int httpPort;
    private final int hl7Port;
    private Process process;

    public Haproxy(Path folder) throws IOException {
        this.folder = folder;
        this.httpPort = HubProcess.freePort();
        this.hl7Port = HubProcess.freePort();
    }

    /** Partners' HTTP, through HAProxy. */
    public int port() {
        return httpPort;
    }

    /** Hospitals' MLLP, through HAProxy. */
    public int hl7Port() {
        return hl7Port;
    }

    /** Starts HAProxy in front of hub1 and hub2 of the shipped configuration. */
    public Haproxy start(List<HubProcess> hubs) throws Exception {
        String cfg = Files.readString(Path.of("config/haproxy/haproxy.cfg"), StandardCharsets.UTF_8)
                .replace("    bind :8080", "    bind 127.0.0.1:" + httpPort)
                .replace("    bind :2575", "    bind 127.0.0.1:" + hl7Port);
        for (int i = 0; i < hubs.size(); i++) {
            HubProcess hub = hubs.get(i);
            String name = "hub" + (i + 1);
            cfg = cfg.replace("server " + name + " " + name + ":8080 check", "server " + name + " 127.0.0.1:" + hub.port() + " check")
                    .replace("server " + name + " " + name + ":2575 check",
                            "server " + name + " 127.0.0.1:" + hub.hl7Port() + " check port " + hub.port());
        }
        Path file = folder.resolve("haproxy.cfg");
        Files.writeString(file, cfg, StandardCharsets.UTF_8);
        process = new ProcessBuilder("haproxy", "-db", "-f", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("haproxy.log").toFile()))
                .start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            try (Socket ignored = new Socket("127.0.0.1", httpPort)) {
                return this;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("haproxy exited; see " + folder.resolve("haproxy.log"));
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("haproxy did not open port " + httpPort);
    }

    @Override
    public void close() throws InterruptedException {
        HubProcess.stop(process);
    }
}

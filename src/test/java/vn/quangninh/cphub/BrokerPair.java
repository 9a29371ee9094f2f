package vn.quangninh.cphub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The highly available broker of config/broker/broker-primary.xml and broker-backup.xml as two standalone
 * Artemis processes from the distribution Maven unpacks: one shared store (a folder both use, as a shared
 * filesystem would be), each on its own free port, the cluster connection between them on 127.0.0.1.
 */
public final class BrokerPair implements AutoCloseable {

    private static final String CLUSTER_PASSWORD = "cphub-it-cluster-secret";

    private final StandaloneBroker primary;
    private final StandaloneBroker backup;
    private final Path shared;

    public BrokerPair(Path folder) throws Exception {
        this.shared = Files.createDirectories(folder.resolve("shared-store"));
        this.primary = new StandaloneBroker(folder.resolve("primary"));
        this.backup = new StandaloneBroker(folder.resolve("backup"));
    }

    /** Creates both instances, starts the primary (active) and then the backup (waiting for the store's lock). */
    public BrokerPair createAndStart() throws Exception {
        Map<String, String> replacements = Map.of(
                "tcp://artemis-primary:61616", "tcp://127.0.0.1:" + primary.port(),
                "tcp://artemis-backup:61616", "tcp://127.0.0.1:" + backup.port(),
                ">data/", ">" + shared + "/");
        Map<String, String> environment = Map.of("ARTEMIS_CLUSTER_PASSWORD", CLUSTER_PASSWORD);
        primary.create("broker-primary.xml", with(replacements, primary), environment);
        backup.create("broker-backup.xml", with(replacements, backup), environment);
        primary.start();
        backup.launch();
        awaitBackupAnnounced(backup, Duration.ofSeconds(60));
        return this;
    }

    private static Map<String, String> with(Map<String, String> replacements, StandaloneBroker broker) {
        Map<String, String> all = new java.util.HashMap<>(replacements);
        all.put("tcp://0.0.0.0:61616", "tcp://127.0.0.1:" + broker.port());
        return all;
    }

    /** The hub's failover URL: both brokers, ha=true (BrokerModeSelector adds reconnecting for ever). */
    public String url() {
        return "(tcp://127.0.0.1:" + primary.port() + ",tcp://127.0.0.1:" + backup.port() + ")?ha=true&retryInterval=500";
    }

    public StandaloneBroker primary() {
        return primary;
    }

    public StandaloneBroker backup() {
        return backup;
    }

    /** A backup logs AMQ221031 once it waits, as the backup, for the store's lock. */
    private static void awaitBackupAnnounced(StandaloneBroker broker, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(broker.log()) && Files.readString(broker.log()).contains("AMQ221031")) {
                return;
            }
            if (!broker.isRunning()) {
                throw new IllegalStateException("backup broker exited; see " + broker.log());
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the backup did not announce itself within " + timeout + "; see " + broker.log());
    }

    @Override
    public void close() throws Exception {
        backup.close();
        primary.close();
    }
}

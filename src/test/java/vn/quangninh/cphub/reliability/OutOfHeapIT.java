package vn.quangninh.cphub.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.HubProcess;
import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.PartnerStub;
import vn.quangninh.cphub.SyntheticIncidents;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.model.Referral;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fault of the reliability suite: the hub runs out of heap. Started as the image starts it (the Dockerfile's
 * JVM options, read from its ENTRYPOINT) but with a small heap, with every partner down, it is sent incidents
 * until its heap is full. It must exit (code 3, {@code -XX:+ExitOnOutOfMemoryError}) so that its restart policy
 * starts it again: without the flag a hub out of heap lived on with its HTTP listener's thread dead and its H2
 * store closed, answering nobody (bench/RESULTS.md, "Memory: where the RSS goes"). Started again on the same data
 * folder, it delivers every incident it had answered 202 for, none with two different bodies.
 *
 * <p>To fill the heap in seconds rather than minutes, the broker is told to keep 1 GB of messages in memory
 * before it pages (its default is 128 MB) and the incidents carry the longest narrative the schema allows.
 */
class OutOfHeapIT extends PackagedHubFault {

    private static final String SMALL_HEAP = "-Xmx192m";
    private static final int POSTERS = 8;
    private static final int MOST_POSTS = 20_000;

    @Test
    void aHubOutOfHeapExitsAndDeliversWhatItTookAfterTheRestart() throws Exception {
        police.start();
        PartnerStub.answer(police, aResponse().withStatus(503), aResponse().withStatus(503));
        Map<String, String> settings = PartnerStub.hubSettings(police);
        var data = Files.createTempDirectory("cphub-out-of-heap");
        List<String> jvm = new ArrayList<>(HubProcess.imageJvmOptions());
        jvm.add(SMALL_HEAP);
        Map<String, String> firstSettings = new HashMap<>(settings);
        firstSettings.put("CPHUB_BROKER_GLOBAL_MAX_SIZE", "1GB");
        hub = new HubProcess(data, firstSettings).jvmOptions(jvm).start();

        // eight senders until the hub has exited (a post it never answered: its sender would send it again)
        PartnerClient partner = new PartnerClient(hub.port());
        String narrative = "Synthetic filler. ".repeat(1_111); // 19,998 characters: the schema's most is 20,000
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger posted = new AtomicInteger();
        AtomicInteger unanswered = new AtomicInteger();
        AtomicBoolean exited = new AtomicBoolean();
        ExecutorService senders = Executors.newFixedThreadPool(POSTERS);
        for (int i = 0; i < POSTERS; i++) {
            senders.submit(() -> {
                while (!exited.get() && posted.incrementAndGet() <= MOST_POSTS) {
                    String eventId = SyntheticIncidents.newEventId();
                    var incident = SyntheticIncidents.incident(eventId);
                    incident.put("priority", 3);
                    incident.put("narrative", narrative);
                    try {
                        if (partner.post(incident.toString(), Duration.ofSeconds(30)).statusCode() == 202) {
                            accepted.add(eventId);
                        }
                    } catch (IOException noAnswer) {
                        unanswered.incrementAndGet();
                    } catch (InterruptedException stopped) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
        int exitCode = hub.awaitExit(Duration.ofMinutes(4));
        exited.set(true);
        senders.shutdown();
        senders.awaitTermination(2, TimeUnit.MINUTES);
        String firstLog = Files.readString(hub.log());
        assertThat(exitCode).as("the hub out of heap exits with the JVM's code for -XX:+ExitOnOutOfMemoryError "
                + "(-1: still running after 4 minutes; posted " + posted.get() + ", accepted " + accepted.size() + ")").isEqualTo(3);
        assertThat(firstLog).contains("Terminating due to java.lang.OutOfMemoryError: Java heap space");
        assertThat(accepted).as("it took incidents before its heap ran out").isNotEmpty();

        // the restart policy's part: the same data folder, the usual heap and broker memory, the partners back
        police.resetAll();
        PartnerStub.answer(police, aResponse().withStatus(200), aResponse().withStatus(200));
        long restarted = System.currentTimeMillis();
        hub = new HubProcess(data, settings).start();
        Set<String> expected = new HashSet<>();
        for (String eventId : accepted) {
            expected.add(Referral.idFor(Incident.idFor(PartnerClient.HOTLINE, eventId), "police").toString());
        }
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> PartnerStub.deliveredToPolice(police).keySet().containsAll(expected));

        Map<String, Set<String>> bodies = PartnerStub.deliveredToPolice(police);
        Set<String> lost = new HashSet<>(expected);
        lost.removeAll(bodies.keySet());
        long twoEffects = bodies.values().stream().filter(b -> b.size() > 1).count();
        System.out.printf("%nfault: the hub out of heap (%s, the image's JVM options, partners down): %d posted, %d accepted, "
                        + "then exit %d; restarted on its data: %d of them at police %.1f s later; lost %d; keys with two bodies %d%n",
                SMALL_HEAP, Math.min(posted.get(), MOST_POSTS), accepted.size(), exitCode, expected.size() - lost.size(),
                (System.currentTimeMillis() - restarted) / 1000.0, lost.size(), twoEffects);
        FaultTable.add("the hub out of heap (" + SMALL_HEAP + ", partners down), then restarted", accepted.size(),
                expected.size() - lost.size(), lost.size(), twoEffects, unanswered.get(),
                "exit code " + exitCode + " (-XX:+ExitOnOutOfMemoryError, the image's options); police's referrals counted");
        assertThat(lost).as("every incident answered 202 reached police after the restart").isEmpty();
        assertThat(twoEffects).as("no key delivered with two different bodies").isZero();
    }
}

package vn.quangninh.cphub.reliability;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.Hl7Client;
import vn.quangninh.cphub.HubProcess;
import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.StandaloneBroker;
import vn.quangninh.cphub.SyntheticIncidents;
import vn.quangninh.cphub.hotline.Sipp;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.model.Referral;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker's disk nearly full. Where the machine lets the test mount one, the standalone broker's journal is on
 * a 256 MiB tmpfs with the shipped {@code max-disk-usage} (90 %), and a file fills that filesystem to 95 %; else
 * {@code max-disk-usage} is set just above what the broker's disk uses now and a file (fallocate) crosses it.
 * Partners then get 503 with Retry-After, hospitals AE, the PBX 500 — never a hang, never a 202 for a report the
 * broker did not take; once the file is gone the hub takes reports again by itself, and everything it accepted
 * reaches police.
 */
class BrokerDiskFullIT extends PackagedHubFault {

    private Path mounted;

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            new ProcessBuilder("umount", "-l", mounted.toString()).start().waitFor();
        }
    }

    @Test
    void partnersAreToldToRetryWhileTheBrokersDiskIsFullAndNothingAcceptedIsLost() throws Exception {
        Path instance = Files.createTempDirectory("cphub-disk-full-broker");
        Path journal = Files.createTempDirectory("cphub-disk-full-journal");
        boolean small = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", journal.toString())
                .redirectErrorStream(true).start().waitFor() == 0;
        if (small) {
            mounted = journal;
        }
        File disk = journal.toFile();
        double usedPercent = 100.0 * (1.0 - (double) disk.getUsableSpace() / disk.getTotalSpace());
        int limit = small ? 90 : (int) Math.ceil(usedPercent) + 1;
        int fillTo = small ? 95 : limit + 1;
        assumeThat(limit).as("the disk has room for the test's limit").isGreaterThan((int) usedPercent).isLessThan(99);
        Map<String, String> replacements = new HashMap<>(Map.of(">data/", ">" + journal + "/",
                "<max-disk-usage>90</max-disk-usage>", "<max-disk-usage>" + limit + "</max-disk-usage>"));

        try (StandaloneBroker broker = new StandaloneBroker(instance)) {
            replacements.put("tcp://0.0.0.0:61616", "tcp://127.0.0.1:" + broker.port());
            broker.create("broker.xml", replacements, Map.of());
            broker.start();
            Map<String, String> settings = new HashMap<>();
            settings.put("CPHUB_BROKER_URL", broker.url() + "?retryInterval=500");
            settings.put("CPHUB_BROKER_USER", StandaloneBroker.USER);
            settings.put("CPHUB_BROKER_PASSWORD", StandaloneBroker.PASSWORD);
            HubProcess hub = startHub("cphub-disk-full", settings);
            PartnerClient partner = new PartnerClient(hub.port());

            String before = SyntheticIncidents.newEventId();
            assertThat(partner.post(SyntheticIncidents.incident(before).toString()).statusCode()).isEqualTo(202);

            Path filler = journal.resolve("filler.bin");
            // what the disk holds now (the broker's journal files included), filled up to fillTo %
            long fill = (long) (fillTo / 100.0 * disk.getTotalSpace()) - (disk.getTotalSpace() - disk.getUsableSpace());
            assertThat(fill).as("room for the file that crosses the limit").isPositive().isLessThan(disk.getUsableSpace());
            run("fallocate", "-l", String.valueOf(fill), filler.toString());
            try {
                // the broker notices within its disk-scan-period (2 s); the hub answers each sender within seconds
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> partner.post(SyntheticIncidents.incident(SyntheticIncidents.newEventId()).toString(),
                                Duration.ofSeconds(45)).statusCode() == 503);
                long asked = System.nanoTime();
                var whileFull = partner.post(SyntheticIncidents.incident(SyntheticIncidents.newEventId()).toString(), Duration.ofSeconds(45));
                long answeredMs = (System.nanoTime() - asked) / 1_000_000;
                assertThat(whileFull.statusCode()).as(whileFull.body() + " after " + answeredMs + " ms").isEqualTo(503);
                assertThat(whileFull.headers().firstValue("Retry-After")).as("a retry hint").isPresent();
                var invalid = partner.post("not json", Duration.ofSeconds(20));
                assertThat(invalid.statusCode()).as("a bad report still gets its own answer at once (it cannot be kept now)").isEqualTo(400);
                try (Hl7Client hospital = new Hl7Client(hub.hl7Port())) {
                    assertThat(hospital.send(SyntheticIncidents.hospitalReport("DISK-FULL-1")).code()).as("AE: the hospital sends it again").isEqualTo("AE");
                }
                assertThat(Sipp.message(hub.sipPort(), "127.0.0.1", "application/json", "", callEvent(), 1, 500))
                        .as("500 to the PBX's MESSAGE: it sends it again").isZero();
            } finally {
                Files.deleteIfExists(filler);
            }

            String after = SyntheticIncidents.newEventId();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> partner.post(SyntheticIncidents.incident(after).toString()).statusCode() == 202);
            try (Hl7Client hospital = new Hl7Client(hub.hl7Port())) {
                assertThat(hospital.send(SyntheticIncidents.hospitalReport("DISK-FULL-1")).code()).as("the same message, sent again").isEqualTo("AA");
            }
            for (String key : new String[] {policeKey(PartnerClient.HOTLINE, before), policeKey(PartnerClient.HOTLINE, after),
                    policeKey("hospital-baichay", "DISK-FULL-1")}) {
                await().atMost(Duration.ofSeconds(60)).until(() -> !police.findAll(postRequestedFor(urlEqualTo("/intake"))
                        .withHeader("Idempotency-Key", equalTo(key))).isEmpty());
            }
            FaultTable.add("the broker's disk over max-disk-usage (" + limit + " %" + (small ? ", its journal on a 256 MiB tmpfs filled to 95 %"
                    : ", lowered to just above the disk's use") + "), then freed", 3, 3, 0, 0, 3,
                    "503 with Retry-After, HL7 AE and SIP 500 while full; taken again without a restart once freed");
        }
    }

    private static String policeKey(String system, String eventId) {
        return Referral.idFor(Incident.idFor(system, eventId), "police").toString();
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private static String callEvent() {
        return "{\"event\":\"call.started\",\"callId\":\"call-disk-" + java.util.UUID.randomUUID()
                + "\",\"line\":\"111\",\"at\":\"2026-11-28T14:00:00+07:00\"}";
    }
}

package vn.quangninh.cphub.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.FromAddress;
import vn.quangninh.cphub.FromAddress.Answer;
import vn.quangninh.cphub.LogRecorder;
import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.ShippedLimitsHub;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guessing a partner's secret, the CRM's signing secret or a console password gets slower with every
 * failure, per account and per address, while the partner keeps reporting from where it always does. Each
 * client is its own loopback address (127.0.0.x), as the hub sees it.
 */
class CredentialBackoffTest extends ShippedLimitsHub {

    private static final String INCIDENTS = "/api/v1/incidents";

    @org.springframework.beans.factory.annotation.Autowired
    private io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void aGuessedPartnerAccountIsLockedButThePartnerKeepsReportingFromItsOwnAddress() throws Exception {
        // the partner signs in from its own address first, as it does every day
        assertThat(post("127.0.0.20", "social-affairs", "social-affairs-dev-secret").status()).isIn(202, 403, 422);
        try (LogRecorder log = LogRecorder.of(CredentialBackoff.class)) {
            List<Integer> attacker = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                attacker.add(post("127.0.0.21", "social-affairs", "guess-" + i).status());
            }
            assertThat(attacker).as("5 free failures, the 6th locks for 1 s, the 7th is refused unchecked")
                    .containsExactly(401, 401, 401, 401, 401, 401, 429);
            Answer locked = post("127.0.0.21", "social-affairs", "social-affairs-dev-secret");
            assertThat(locked.status()).as("even the right secret waits, from an address that never signed in").isEqualTo(429);
            assertThat(Long.parseLong(locked.header("Retry-After"))).isBetween(1L, 2L);
            assertThat(json(locked.body()).path("error").asText()).isEqualTo("too_many_failures");

            assertThat(post("127.0.0.20", "social-affairs", "social-affairs-dev-secret").status())
                    .as("the partner, from where it signed in before").isIn(202, 403, 422);
            assertThat(log.messages())
                    .anyMatch(l -> l.startsWith("Credential back-off on partner-api: account social-affairs locked for 1 s after 6 failures"));
            assertThat(counted("cphub.credentials.lockouts", "door", "partner-api", "kind", "account")).isPositive();
            assertThat(counted("cphub.credentials.failures", "door", "partner-api")).isGreaterThanOrEqualTo(6);
        }
    }

    @Test
    void anAddressGuessingManyAccountsIsLocked() throws Exception {
        for (int i = 0; i < 21; i++) {
            assertThat(post("127.0.0.22", "made-up-" + i, "guess").status()).isEqualTo(401);
        }
        assertThat(post("127.0.0.22", "made-up-x", "guess").status()).isEqualTo(429);
        assertThat(post("127.0.0.22", PartnerClient.HOTLINE, PartnerClient.HOTLINE_SECRET).status())
                .as("a real partner's secret from the locked address, where it never signed in").isEqualTo(429);
        assertThat(post("127.0.0.23", PartnerClient.HOTLINE, PartnerClient.HOTLINE_SECRET).status())
                .as("other addresses are not locked").isIn(202, 422);
    }

    /** An unknown id and a known id's wrong secret: the same answer, in about the same time. */
    @Test
    void unknownIdsCannotBeToldFromWrongSecrets() throws Exception {
        Answer unknown = post("127.0.0.24", "no-such-partner", "guess");
        Answer known = post("127.0.0.25", "police", "guess");
        assertThat(unknown.status()).isEqualTo(known.status()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(known.body());
        long unknownMs = medianMillis("127.0.0.26", "no-such-partner-2");
        long knownMs = medianMillis("127.0.0.27", "police");
        // before: 16 ms against 112 ms; both now pay one bcrypt check (a wide margin: this is not a benchmark)
        assertThat(unknownMs).as("unknown %d ms, known %d ms", unknownMs, knownMs).isGreaterThanOrEqualTo(knownMs / 2);
    }

    @Test
    void wrongCrmSignaturesAreSlowedDown() throws Exception {
        byte[] ticket = "{\"ticketId\":\"T-BACKOFF\"}".getBytes(StandardCharsets.UTF_8);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long now = CLOCK.instant().getEpochSecond();
            statuses.add(FromAddress.request("127.0.0.28", port, "POST", "/hotline/crm/tickets",
                    Map.of("Content-Type", "application/json", "X-CRM-Timestamp", String.valueOf(now),
                            "X-CRM-Signature", "sha256=" + "0".repeat(64)), ticket).status());
        }
        assertThat(statuses).containsExactly(401, 401, 401, 401, 401, 401, 429);
    }

    @Test
    void consoleSignInsAreSlowedDownButNotForTheOperatorAtTheirDesk() throws Exception {
        assertThat(console("127.0.0.30", "operator", "operator-dev").status()).isEqualTo(200);
        List<Integer> guesses = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            guesses.add(console("127.0.0.31", "operator", "guess-" + i).status());
        }
        assertThat(guesses).containsExactly(401, 401, 401, 401, 401, 401, 429);
        assertThat(console("127.0.0.31", "operator", "operator-dev").status()).isEqualTo(429);
        assertThat(console("127.0.0.30", "operator", "operator-dev").status()).as("from the operator's own desk").isEqualTo(200);
        assertThat(counted("cphub.credentials.lockouts", "door", "console", "kind", "account")).isPositive();
    }

    private Answer post(String from, String partner, String secret) throws Exception {
        byte[] body = incident(newEventId()).toString().getBytes(StandardCharsets.UTF_8);
        return FromAddress.request(from, port, "POST", INCIDENTS, Map.of("Content-Type", "application/json",
                "Authorization", basic(partner, secret)), body);
    }

    private Answer console(String from, String user, String password) throws Exception {
        return FromAddress.request(from, port, "GET", "/actuator/jolokia/version", Map.of("Authorization", basic(user, password)), null);
    }

    private long medianMillis(String from, String partner) throws Exception {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            post(from, partner, "guess-" + i);
            times.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
        }
        return times.stream().sorted().toList().get(2);
    }

    /** A counter of the hub's meter registry (what /actuator/prometheus shows as ..._total). */
    private double counted(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
}

package vn.quangninh.cphub.partner;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.TestHubProperties;
import vn.quangninh.cphub.config.OperatorFiles;
import vn.quangninh.cphub.security.CredentialBackoff;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A partner's secret is checked against its bcrypt hash in config/partners.yaml once, then by its digest. Requests
 * that bring the same credentials while that check runs wait for its answer: sixteen requests of one partner at once,
 * the first after a start, made sixteen bcrypt checks on two cores, and twenty emergencies posted at once waited
 * 2.3–2.8 s for their 202 (bench/RESULTS.md). The shipped bcrypt encoder is used, counted.
 */
class PartnerAuthenticatorTest {

    private static final int AT_ONCE = 16;

    @TempDir
    Path config;

    private final CamelContext camel = new DefaultCamelContext();
    private final ExecutorService requests = Executors.newFixedThreadPool(AT_ONCE);
    /** The environment partners.yaml's placeholders read, and the registry of the last authenticator made. */
    private MockEnvironment environment;
    private PartnerRegistry partners;

    @AfterEach
    void stop() {
        requests.shutdownNow();
        camel.stop();
    }

    @Test
    void requestsWithTheSameCredentialsAtOnceShareOneBcryptCheck() throws Exception {
        CountingEncoder encoder = new CountingEncoder();
        PartnerAuthenticator authenticator = authenticator(encoder);

        List<Object> outcomes = atOnce(() -> authenticate(authenticator, "hotline-crm-dev-secret"));

        assertThat(outcomes).as("each request signed in").hasSize(AT_ONCE).containsOnly("hotline-crm");
        assertThat(encoder.checks.get()).as("bcrypt checks for the sixteen").isEqualTo(1);
        assertThat(authenticate(authenticator, "hotline-crm-dev-secret")).isEqualTo("hotline-crm");
        assertThat(encoder.checks.get()).as("a later request: its digest").isEqualTo(1);
    }

    @Test
    void theSameWrongSecretAtOnceIsRefusedEveryTime() throws Exception {
        CountingEncoder encoder = new CountingEncoder();
        PartnerAuthenticator authenticator = authenticator(encoder);

        List<Object> outcomes = atOnce(() -> authenticate(authenticator, "hotline-crm", "not-the-hotline-secret"));

        assertThat(outcomes).as("refused, or locked out after the first failures").hasSize(AT_ONCE)
                .allSatisfy(o -> assertThat(o).isIn("IntakeRejectedException", "RateLimitedException"));
        assertThat(authenticate(authenticator, "hotline-crm-dev-secret")).as("the right secret afterwards")
                .isIn("hotline-crm", "RateLimitedException");
    }

    /**
     * A partner's secret replaced in partners.yaml on the running hub (a leaked one revoked): the old secret, already
     * verified and cached, is refused at once, and the new one signs in (README: sign-in follows the file at once).
     */
    @Test
    void aReplacedSecretIsRefusedAtOnceThoughItWasVerifiedBefore() throws Exception {
        CountingEncoder encoder = new CountingEncoder();
        PartnerAuthenticator authenticator = authenticator(encoder);
        assertThat(authenticate(authenticator, "hotline-crm-dev-secret")).isEqualTo("hotline-crm");

        replaceHotlineSecret(encoder, "a-new-hotline-secret-0001");

        assertThat(authenticate(authenticator, "hotline-crm-dev-secret")).as("the old secret").isEqualTo("IntakeRejectedException");
        assertThat(authenticate(authenticator, "a-new-hotline-secret-0001")).as("the new one").isEqualTo("hotline-crm");
    }

    /**
     * A secret replaced while a check of the old one is under way: a request with the old secret that arrives after
     * the change is checked against the new hash, and refused, instead of waiting for the answer of the check against
     * the old hash (which began before the change and may still sign its own request in).
     */
    @Test
    void aRequestAfterASecretWasReplacedDoesNotTakeTheAnswerOfACheckAgainstTheOldHash() throws Exception {
        HeldEncoder encoder = new HeldEncoder();
        PartnerAuthenticator authenticator = authenticator(encoder);
        Future<Object> before = requests.submit(() -> authenticate(authenticator, "hotline-crm-dev-secret"));
        assertThat(encoder.held.await(30, TimeUnit.SECONDS)).as("the first check under way").isTrue();

        replaceHotlineSecret(encoder, "a-new-hotline-secret-0002");
        Future<Object> after = requests.submit(() -> authenticate(authenticator, "hotline-crm-dev-secret"));
        Object afterOutcome;
        try {
            afterOutcome = after.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException waitingForTheOldCheck) {
            encoder.release.countDown();
            afterOutcome = after.get(30, TimeUnit.SECONDS);
        }
        encoder.release.countDown();

        assertThat(afterOutcome).as("the old secret after the change").isEqualTo("IntakeRejectedException");
        assertThat(before.get(30, TimeUnit.SECONDS)).as("the request that came before it").isEqualTo("hotline-crm");
        assertThat(authenticate(authenticator, "hotline-crm-dev-secret")).as("the old secret later").isEqualTo("IntakeRejectedException");
        assertThat(authenticate(authenticator, "a-new-hotline-secret-0002")).as("the new one").isEqualTo("hotline-crm");
    }

    /**
     * An unknown id costs a bcrypt check as a wrong secret does; sent several times at once, it shares that check as
     * a known id's requests do, so neither a single request nor a volley tells the two apart by its time.
     */
    @Test
    void anUnknownIdAtOnceCostsOneCheckAsAKnownIdsWrongSecretDoes() throws Exception {
        CountingEncoder forUnknown = new CountingEncoder();
        PartnerAuthenticator first = authenticator(forUnknown);
        List<Object> unknown = atOnce(() -> authenticate(first, "no-such-partner", "some-guessed-secret"));
        // a hub of its own for the second volley, so that the first's failures lock nothing out for it
        CountingEncoder forWrongSecret = new CountingEncoder();
        PartnerAuthenticator second = authenticator(forWrongSecret);
        List<Object> wrong = atOnce(() -> authenticate(second, "hospital-baichay", "some-guessed-secret"));

        // (a request that comes late, once the shared check has failed five times, is locked out before any check)
        assertThat(unknown).allSatisfy(o -> assertThat(o).isIn("IntakeRejectedException", "RateLimitedException"));
        assertThat(wrong).allSatisfy(o -> assertThat(o).isIn("IntakeRejectedException", "RateLimitedException"));
        assertThat(forUnknown.checks.get()).as("bcrypt checks for the unknown id's volley")
                .isEqualTo(forWrongSecret.checks.get()).isEqualTo(1);
    }

    private PartnerAuthenticator authenticator(PasswordEncoder encoder) throws Exception {
        Files.copy(Path.of("config/partners.yaml"), config.resolve("partners.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        environment = new MockEnvironment();
        partners = new PartnerRegistry(new OperatorFiles(environment, TestHubProperties.withConfig(config)));
        CredentialBackoff backoff = new CredentialBackoff(new CredentialBackoff.Settings(5, 20, Duration.ofSeconds(1),
                Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ofHours(1)), Clock.systemUTC(), new SimpleMeterRegistry());
        return new PartnerAuthenticator(partners, backoff, encoder);
    }

    /** The hotline CRM's secretHash in partners.yaml replaced on the running hub, as an operator revokes a leaked secret. */
    private void replaceHotlineSecret(PasswordEncoder encoder, String newSecret) {
        environment.setProperty("HOTLINE_CRM_SECRET_HASH", encoder.encode(newSecret));
        partners.use(partners.read());
    }

    /** The hotline CRM signed in, or the simple name of the exception that refused it. */
    private Object authenticate(PartnerAuthenticator authenticator, String secret) {
        return authenticate(authenticator, "hotline-crm", secret);
    }

    /** The partner signed in, or the simple name of the exception that refused it. */
    private Object authenticate(PartnerAuthenticator authenticator, String partnerId, String secret) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((partnerId + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        try {
            authenticator.process(exchange);
            return exchange.getProperty(HubHeaders.PARTNER);
        } catch (RuntimeException refused) {
            return refused.getClass().getSimpleName();
        }
    }

    /** Runs {@code request} on sixteen threads let go together; their outcomes. */
    private List<Object> atOnce(Callable<Object> request) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> running = new ArrayList<>();
        for (int i = 0; i < AT_ONCE; i++) {
            running.add(requests.submit(() -> {
                go.await();
                return request.call();
            }));
        }
        go.countDown();
        List<Object> outcomes = new ArrayList<>();
        for (Future<Object> outcome : running) {
            outcomes.add(outcome.get(60, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    /** The hub's own encoder, whose first check waits, once it has begun, until it is released. */
    private static final class HeldEncoder extends CountingEncoder {
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            boolean answer = super.matches(raw, encoded);
            if (checks.get() == 1) {
                held.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return answer;
        }
    }

    /** The hub's own encoder (bcrypt for the shipped hashes), counting the checks it makes. */
    private static class CountingEncoder implements PasswordEncoder {
        final PasswordEncoder shipped = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        final AtomicInteger checks = new AtomicInteger();

        @Override
        public String encode(CharSequence raw) {
            return shipped.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            checks.incrementAndGet();
            return shipped.matches(raw, encoded);
        }
    }
}

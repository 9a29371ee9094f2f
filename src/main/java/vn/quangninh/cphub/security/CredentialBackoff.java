package vn.quangninh.cphub.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Slows down password and signature guessing at every door that checks a credential (partner API, hotline
 * CRM signatures, console login), in memory, per hub instance.
 * <ul>
 *   <li>Per account (the partner id or user name claimed, whether it exists or not, so the answer tells
 *       nothing): after {@code account-free-failures} failures, each further failure locks the account for
 *       twice as long as the last, from {@code first-lock} up to {@code max-lock}.</li>
 *   <li>Per client address, across accounts and doors: the same after {@code address-free-failures}.</li>
 *   <li>A lock never shuts out a partner from where it has recently signed in ({@code trusted-for}): an
 *       attacker guessing a partner's secret elsewhere cannot lock the partner out of its own reports.</li>
 *   <li>Failures are forgotten after {@code forget-after} without one; a success clears its account's.</li>
 * </ul>
 * A locked request is answered 429 with Retry-After without its credential being checked. Each lock is
 * logged (door, account, address, duration) and counted ({@code cphub_credentials_lockouts_total}); each
 * failure is counted ({@code cphub_credentials_failures_total}).
 */
@Component
public class CredentialBackoff {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialBackoff.class);
    private static final int MAX_TRACKED = 100_000;

    @ConfigurationProperties("cphub.security.credentials")
    public record Settings(int accountFreeFailures, int addressFreeFailures, Duration firstLock, Duration maxLock,
                           Duration forgetAfter, Duration trustedFor) {
    }

    private static final class Failures {
        int count;
        Instant last;
        Instant lockedUntil = Instant.MIN;
    }

    private final Settings settings;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Map<String, Instant> trusted = new ConcurrentHashMap<>();

    public CredentialBackoff(Settings settings, Clock clock, MeterRegistry meters) {
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
    }

    /** How long this attempt must wait before its credential is even checked; empty: check it now. */
    public Optional<Duration> lockedFor(String door, String account, String address) {
        if (trusted(door, account, address)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant until = max(lockedUntil(accountKey(door, account), now), lockedUntil(addressKey(address), now));
        return until.isAfter(now) ? Optional.of(Duration.between(now, until)) : Optional.empty();
    }

    public void failed(String door, String account, String address) {
        meters.counter("cphub.credentials.failures", "door", door).increment();
        count(accountKey(door, account), settings.accountFreeFailures(), door, "account " + account, address);
        count(addressKey(address), settings.addressFreeFailures(), door, "address " + address, address);
    }

    public void succeeded(String door, String account, String address) {
        failures.remove(accountKey(door, account));
        if (trusted.size() < MAX_TRACKED) {
            trusted.put(pairKey(door, account, address), clock.instant());
        }
    }

    private void count(String key, int free, String door, String what, String address) {
        Instant now = clock.instant();
        Failures f = failures.size() < MAX_TRACKED ? failures.computeIfAbsent(key, k -> new Failures()) : failures.get(key);
        if (f == null) {
            return; // a flood of made-up names: the ones already tracked (and every address) stay locked
        }
        synchronized (f) {
            if (f.last != null && Duration.between(f.last, now).compareTo(settings.forgetAfter()) > 0) {
                f.count = 0;
            }
            f.count++;
            f.last = now;
            if (f.count > free) {
                Duration lock = lockAfter(f.count - free);
                f.lockedUntil = now.plus(lock);
                meters.counter("cphub.credentials.lockouts", "door", door, "kind", what.substring(0, what.indexOf(' '))).increment();
                LOG.warn("Credential back-off on {}: {} locked for {} s after {} failures (last from {})",
                        door, what, lock.toSeconds(), f.count, address);
            }
        }
    }

    /** first-lock, doubled for each failure past the free ones, at most max-lock. */
    private Duration lockAfter(int over) {
        Duration lock = settings.firstLock();
        for (int i = 1; i < over && lock.compareTo(settings.maxLock()) < 0; i++) {
            lock = lock.multipliedBy(2);
        }
        return lock.compareTo(settings.maxLock()) > 0 ? settings.maxLock() : lock;
    }

    private Instant lockedUntil(String key, Instant now) {
        Failures f = failures.get(key);
        if (f == null) {
            return Instant.MIN;
        }
        synchronized (f) {
            return f.lockedUntil;
        }
    }

    private boolean trusted(String door, String account, String address) {
        Instant since = trusted.get(pairKey(door, account, address));
        return since != null && Duration.between(since, clock.instant()).compareTo(settings.trustedFor()) < 0;
    }

    /** Forgets what no longer matters, so an attacker's many names and addresses cannot fill the memory. */
    @Scheduled(fixedDelay = 60_000)
    void forget() {
        Instant now = clock.instant();
        failures.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().lockedUntil.isBefore(now)
                        && Duration.between(e.getValue().last, now).compareTo(settings.forgetAfter()) > 0;
            }
        });
        trusted.values().removeIf(since -> Duration.between(since, now).compareTo(settings.trustedFor()) > 0);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String accountKey(String door, String account) {
        return "account|" + door + "|" + account;
    }

    private static String addressKey(String address) {
        return "address|" + address;
    }

    private static String pairKey(String door, String account, String address) {
        return door + "|" + account + "|" + address;
    }
}

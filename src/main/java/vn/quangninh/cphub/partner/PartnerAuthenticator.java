package vn.quangninh.cphub.partner;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;
import vn.quangninh.cphub.intake.RateLimitedException;
import vn.quangninh.cphub.security.CredentialBackoff;
import vn.quangninh.cphub.web.ClientAddress;

/**
 * Authenticates a partner system from HTTP Basic credentials (partner id : secret) against the hashed
 * secret in {@code config/partners.yaml}. On success the partner id is kept in the exchange property
 * {@link HubHeaders#PARTNER}; the Authorization header is removed so it can never travel further.
 * An unknown partner id costs the same bcrypt check as a wrong secret and gets the same answer, so ids
 * cannot be told apart by timing; repeated failures are slowed down by {@link CredentialBackoff}.
 */
@Component("partnerAuthenticator")
public class PartnerAuthenticator implements Processor {

    static final String DOOR = "partner-api";

    private final PartnerRegistry partners;
    private final CredentialBackoff backoff;
    private final PasswordEncoder encoder;
    /** Checked when the id is unknown, so that the answer takes as long as a wrong secret's. */
    private final String dummyHash;
    /**
     * The last secret that verified, per partner, by its digest and the hash it verified against: bcrypt is slow by
     * design, once is enough. A new {@code secretHash} in partners.yaml (a leaked secret replaced on the running hub)
     * no longer matches, so the old secret is checked again, and refused, at once.
     */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    /**
     * The bcrypt checks under way, by the id claimed, the hash checked against and the digest of the secret: requests
     * that bring the same credentials meanwhile wait for that check's answer instead of each making their own. Sixteen
     * requests of one partner at once, the first after a start, made sixteen checks on two cores, and each request
     * waited for them all (#13: twenty emergencies posted at once took 2.8 s to be answered 202). The hash is in the
     * key so that a request arriving after a secret was replaced never takes the answer of a check against the
     * replaced hash. Unknown ids share theirs too, so that requests sent several at once cannot tell a known id from
     * an unknown one by their time either.
     */
    private final Map<Check, CompletableFuture<Boolean>> checking = new ConcurrentHashMap<>();

    @Autowired
    public PartnerAuthenticator(PartnerRegistry partners, CredentialBackoff backoff) {
        this(partners, backoff, PasswordEncoderFactories.createDelegatingPasswordEncoder());
    }

    /** With the encoder that checks the secrets' hashes ({bcrypt} and the other formats Spring Security reads). */
    PartnerAuthenticator(PartnerRegistry partners, CredentialBackoff backoff, PasswordEncoder encoder) {
        this.partners = partners;
        this.backoff = backoff;
        this.encoder = encoder;
        this.dummyHash = encoder.encode(UUID.randomUUID().toString());
    }

    @Override
    public void process(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        exchange.getMessage().removeHeader("Authorization");
        String[] credentials = basicCredentials(header).orElseThrow(() -> new IntakeRejectedException(Refusal.UNAUTHENTICATED,
                "unauthenticated", "Send HTTP Basic credentials: your partner id and secret"));
        String partnerId = credentials[0];
        String address = ClientAddress.of(exchange);
        backoff.lockedFor(DOOR, partnerId, address).ifPresent(wait -> {
            throw new RateLimitedException("too_many_failures",
                    "Too many failed sign-ins; try again in " + Math.max(1, wait.toSeconds()) + " s", wait.toSeconds() + 1);
        });
        Partner partner = partners.find(partnerId).filter(Partner::canPost).orElse(null);
        boolean ok;
        if (partner != null) {
            ok = matches(partner, credentials[1]);
        } else {
            // the same time as a known id's wrong secret, alone or with the same request several times at once
            once(new Check(partnerId, null, sha256(credentials[1])), () -> encoder.matches(credentials[1], dummyHash));
            ok = false;
        }
        if (!ok) {
            backoff.failed(DOOR, partnerId, address);
            throw new IntakeRejectedException(Refusal.UNAUTHENTICATED, "unauthenticated", "Unknown partner or wrong secret");
        }
        backoff.succeeded(DOOR, partnerId, address);
        exchange.setProperty(HubHeaders.PARTNER, partner.id());
    }

    private boolean matches(Partner partner, String secret) {
        String digest = sha256(secret);
        if (new Verified(partner.secretHash(), digest).equals(verified.get(partner.id()))) {
            return true;
        }
        return once(new Check(partner.id(), partner.secretHash(), digest), () -> {
            if (new Verified(partner.secretHash(), digest).equals(verified.get(partner.id()))) {
                // verified by a check that ended between this request's first look and this check's start
                return true;
            }
            boolean ok;
            try {
                ok = encoder.matches(secret, partner.secretHash());
            } catch (IllegalArgumentException unknownHashFormat) {
                ok = false;
            }
            if (ok) {
                verified.put(partner.id(), new Verified(partner.secretHash(), digest));
            }
            return ok;
        });
    }

    /**
     * The answer of {@code check} for these credentials: made here, or, when a request with the same credentials is
     * making it against the same hash now, that request's.
     */
    private boolean once(Check key, BooleanSupplier check) {
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> underWay = checking.putIfAbsent(key, mine);
        if (underWay != null) {
            return underWay.join();
        }
        try {
            boolean answer = check.getAsBoolean();
            mine.complete(answer);
            return answer;
        } catch (RuntimeException failed) {
            mine.completeExceptionally(failed);
            throw failed;
        } finally {
            checking.remove(key, mine);
        }
    }

    /** A bcrypt check: the id claimed, the hash it checks against (none for an unknown id), the secret's digest. */
    private record Check(String partnerId, String secretHash, String digest) {
    }

    /** A secret that verified: its digest, and the partner's hash it verified against. */
    private record Verified(String secretHash, String digest) {
    }

    private static Optional<String[]> basicCredentials(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon <= 0 ? Optional.empty()
                    : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package vn.quangninh.cphub.partner;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
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
    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    /** Checked when the id is unknown, so that the answer takes as long as a wrong secret's. */
    private final String dummyHash = encoder.encode(UUID.randomUUID().toString());
    /** Digest of the last secret that verified, per partner: bcrypt is slow by design, once is enough. */
    private final Map<String, String> verified = new ConcurrentHashMap<>();

    public PartnerAuthenticator(PartnerRegistry partners, CredentialBackoff backoff) {
        this.partners = partners;
        this.backoff = backoff;
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
            encoder.matches(credentials[1], dummyHash); // the same time as a known id's wrong secret
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
        if (digest.equals(verified.get(partner.id()))) {
            return true;
        }
        boolean ok;
        try {
            ok = encoder.matches(secret, partner.secretHash());
        } catch (IllegalArgumentException unknownHashFormat) {
            ok = false;
        }
        if (ok) {
            verified.put(partner.id(), digest);
        }
        return ok;
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

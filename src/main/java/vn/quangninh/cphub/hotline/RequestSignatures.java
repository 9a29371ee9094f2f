package vn.quangninh.cphub.hotline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;
import vn.quangninh.cphub.intake.RateLimitedException;
import vn.quangninh.cphub.partner.Partner;
import vn.quangninh.cphub.partner.PartnerRegistry;
import vn.quangninh.cphub.security.CredentialBackoff;
import vn.quangninh.cphub.security.Hmac;
import vn.quangninh.cphub.web.ClientAddress;

/**
 * Authenticates a signed partner request: {@code X-CRM-Timestamp} (unix seconds) and
 * {@code X-CRM-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>} under the partner's
 * {@code signing.secret}. A timestamp more than five minutes from the hub's clock, a wrong signature, or a
 * signature already taken is a 401; repeated wrong signatures are slowed down by {@link CredentialBackoff}. The signature is remembered only once the request's message is
 * stored ({@link #taken}), so a request the hub answered 503 may be sent again as it was.
 */
@Component("requestSignatures")
public class RequestSignatures {

    public static final String TIMESTAMP = "X-CRM-Timestamp";
    public static final String SIGNATURE = "X-CRM-Signature";
    static final Duration WINDOW = Duration.ofMinutes(5);
    private static final String SIGNATURE_PROPERTY = "cphubRequestSignature";

    static final String DOOR = "crm";

    private final PartnerRegistry partners;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final CredentialBackoff backoff;

    public RequestSignatures(PartnerRegistry partners, JdbcTemplate jdbc, Clock clock, CredentialBackoff backoff) {
        this.partners = partners;
        this.jdbc = jdbc;
        this.clock = clock;
        this.backoff = backoff;
    }

    public void verify(Exchange exchange, String partnerId) {
        Partner partner = partners.find(partnerId).filter(p -> p.signing() != null)
                .orElseThrow(() -> new IllegalStateException("partner " + partnerId + " has no signing secret in config/partners.yaml"));
        String timestamp = exchange.getMessage().getHeader(TIMESTAMP, String.class);
        String signature = exchange.getMessage().getHeader(SIGNATURE, String.class);
        if (timestamp == null || signature == null) {
            throw new IntakeRejectedException(Refusal.UNAUTHENTICATED, "unsigned", "Send " + TIMESTAMP + " and " + SIGNATURE);
        }
        Instant signedAt;
        try {
            signedAt = Instant.ofEpochSecond(Long.parseLong(timestamp.trim()));
        } catch (NumberFormatException e) {
            throw new IntakeRejectedException(Refusal.UNAUTHENTICATED, "bad_timestamp", TIMESTAMP + " must be unix seconds");
        }
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(WINDOW) > 0) {
            throw new IntakeRejectedException(Refusal.UNAUTHENTICATED, "stale_timestamp", TIMESTAMP + " is more than 5 minutes from the hub's time");
        }
        String address = ClientAddress.of(exchange);
        backoff.lockedFor(DOOR, partnerId, address).ifPresent(wait -> {
            throw new RateLimitedException("too_many_failures",
                    "Too many wrong signatures; try again in " + Math.max(1, wait.toSeconds()) + " s", wait.toSeconds() + 1);
        });
        byte[] body = exchange.getProperty(HubHeaders.RAW_BODY, byte[].class);
        String expected = "sha256=" + Hmac.sha256Hex(partner.signing().secret(),
                timestamp.trim() + "." + new String(body, StandardCharsets.UTF_8));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature.trim().getBytes(StandardCharsets.US_ASCII))) {
            backoff.failed(DOOR, partnerId, address);
            throw new IntakeRejectedException(Refusal.UNAUTHENTICATED, "bad_signature", "The signature does not match the body and timestamp");
        }
        backoff.succeeded(DOOR, partnerId, address);
        Integer seen = jdbc.queryForObject("select count(*) from request_signature where partner_id = ? and signature = ?",
                Integer.class, partnerId, expected);
        if (seen != null && seen > 0) {
            throw new IntakeRejectedException(Refusal.UNAUTHENTICATED, "replayed", "This signed request was already taken");
        }
        exchange.setProperty(HubHeaders.PARTNER, partnerId);
        exchange.setProperty(SIGNATURE_PROPERTY, expected);
        exchange.getMessage().removeHeader(SIGNATURE);
    }

    /** Remembers the signature of a request whose message is stored; forgets those past the window. */
    public void taken(@ExchangeProperty(HubHeaders.PARTNER) String partnerId, @ExchangeProperty(SIGNATURE_PROPERTY) String signature) {
        Instant now = clock.instant();
        try {
            jdbc.update("insert into request_signature (partner_id, signature, seen_at) values (?, ?, ?)",
                    partnerId, signature, Timestamp.from(now));
        } catch (DuplicateKeyException sameRequestTwiceAtOnce) {
            // both copies were stored; the ticket id makes them one incident
        }
        jdbc.update("delete from request_signature where seen_at < ?", Timestamp.from(now.minus(WINDOW.multipliedBy(2))));
    }
}

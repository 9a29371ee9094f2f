package vn.quangninh.cphub.partner;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.intake.IntakeRejectedException;

/**
 * Authenticates a partner system from HTTP Basic credentials (partner id : secret) against the hashed
 * secret in {@code config/partners.yaml}. On success the partner id is kept in the exchange property
 * {@link IntakeHeaders#PARTNER}; the Authorization header is removed so it can never travel further.
 */
@Component("partnerAuthenticator")
public class PartnerAuthenticator implements Processor {

    private final PartnerRegistry partners;
    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    /** Digest of the last secret that verified, per partner: bcrypt is slow by design, once is enough. */
    private final Map<String, String> verified = new ConcurrentHashMap<>();

    public PartnerAuthenticator(PartnerRegistry partners) {
        this.partners = partners;
    }

    @Override
    public void process(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        exchange.getMessage().removeHeader("Authorization");
        String[] credentials = basicCredentials(header).orElseThrow(() -> new IntakeRejectedException(401,
                "unauthenticated", "Send HTTP Basic credentials: your partner id and secret"));
        String partnerId = credentials[0];
        Partner partner = partners.find(partnerId).filter(Partner::canPost).orElse(null);
        if (partner == null || !matches(partner, credentials[1])) {
            throw new IntakeRejectedException(401, "unauthenticated", "Unknown partner or wrong secret");
        }
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

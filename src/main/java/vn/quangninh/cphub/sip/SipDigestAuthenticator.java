package vn.quangninh.cphub.sip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;

import vn.quangninh.cphub.security.Hmac;

/**
 * SIP digest authentication (RFC 3261 §22, RFC 2617 MD5, qop {@code auth} or none) of the one account the
 * PBX uses. The nonce is stateless — {@code <issued-at millis>.<HMAC of it>} under a key made at start-up —
 * so the hub only accepts nonces it issued itself, at most {@link #NONCE_LIFETIME} old, and needs no
 * table to do so. JAIN-SIP's own {@code DigestServerAuthenticationHelper} is not used: it checks neither
 * the user name nor where the nonce came from or how old it is.
 */
public class SipDigestAuthenticator {

    static final Duration NONCE_LIFETIME = Duration.ofMinutes(5);

    private final String realm;
    private final String username;
    private final String password;
    private final Clock clock;
    private final String nonceKey;

    /** Digest authentication is on when {@code password} is set; otherwise {@link #enabled()} is false. */
    public SipDigestAuthenticator(String realm, String username, String password, Clock clock) {
        this.realm = realm;
        this.username = username;
        this.password = password == null || password.isBlank() ? null : password;
        this.clock = clock;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.nonceKey = HexFormat.of().formatHex(key);
    }

    public boolean enabled() {
        return password != null;
    }

    /** The challenge to send with a 401. */
    public WWWAuthenticateHeader challenge(HeaderFactory headers) throws ParseException {
        WWWAuthenticateHeader challenge = headers.createWWWAuthenticateHeader("Digest");
        challenge.setRealm(realm);
        String issued = String.valueOf(clock.millis());
        challenge.setNonce(issued + "." + Hmac.sha256Hex(nonceKey, issued));
        challenge.setAlgorithm("MD5");
        challenge.setQop("auth");
        return challenge;
    }

    /** True when the request carries valid credentials of the configured account under a fresh nonce of ours. */
    public boolean authenticates(Request request) {
        if (!enabled()) {
            return true;
        }
        AuthorizationHeader auth = (AuthorizationHeader) request.getHeader(AuthorizationHeader.NAME);
        if (auth == null || !"Digest".equalsIgnoreCase(auth.getScheme()) || auth.getResponse() == null
                || auth.getURI() == null || !username.equals(auth.getUsername()) || !realm.equals(auth.getRealm())
                || !freshNonce(auth.getNonce())) {
            return false;
        }
        if (auth.getAlgorithm() != null && !"MD5".equalsIgnoreCase(auth.getAlgorithm())) {
            return false;
        }
        String ha1 = md5(username + ":" + realm + ":" + password);
        String ha2 = md5(request.getMethod() + ":" + auth.getURI());
        String expected;
        if (auth.getQop() == null) {
            expected = md5(ha1 + ":" + auth.getNonce() + ":" + ha2);
        } else if ("auth".equalsIgnoreCase(auth.getQop()) && auth.getCNonce() != null) {
            expected = md5(ha1 + ":" + auth.getNonce() + ":" + String.format("%08x", auth.getNonceCount()) + ":"
                    + auth.getCNonce() + ":" + auth.getQop() + ":" + ha2);
        } else {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                auth.getResponse().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    private boolean freshNonce(String nonce) {
        if (nonce == null) {
            return false;
        }
        int dot = nonce.indexOf('.');
        if (dot < 1) {
            return false;
        }
        String issued = nonce.substring(0, dot);
        if (!MessageDigest.isEqual(Hmac.sha256Hex(nonceKey, issued).getBytes(StandardCharsets.US_ASCII),
                nonce.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return false;
        }
        try {
            long age = clock.millis() - Long.parseLong(issued);
            return age >= -1000 && age <= NONCE_LIFETIME.toMillis();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

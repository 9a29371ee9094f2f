package vn.quangninh.cphub.sip;

import java.time.Clock;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.HubProcess;
import vn.quangninh.cphub.hotline.Sipp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sip: component with digest authentication on, sipp as the PBX: a request without credentials is
 * challenged (401), the right credentials are taken and reach the route, a wrong password is challenged
 * again and never reaches it, as is another account; a nonce counts only while fresh and only when the
 * hub issued it.
 */
class SipDigestTest {

    private CamelContext camel;
    private int port;

    @BeforeEach
    void start() throws Exception {
        port = HubProcess.freePort();
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("digest", new SipDigestAuthenticator("cphub", "pbx", "a-synthetic-pbx-password", Clock.systemUTC()));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("sip:digest-test?bindAddress=127.0.0.1&port=" + port + "&transport=udp&authenticator=#digest")
                        .to("mock:events");
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void onlyTheRightCredentialsReachTheRoute() throws Exception {
        MockEndpoint events = camel.getEndpoint("mock:events", MockEndpoint.class);
        events.expectedMessageCount(1);
        assertThat(Sipp.digestMessage(port, "pbx", "a-synthetic-pbx-password", 200)).as("challenged, then taken").isZero();
        assertThat(Sipp.digestMessage(port, "pbx", "a-wrong-password", 401)).as("challenged again").isZero();
        assertThat(Sipp.digestMessage(port, "someone-else", "a-synthetic-pbx-password", 401)).as("not the PBX's account").isZero();
        events.assertIsSatisfied(2000);
        assertThat(events.getReceivedExchanges().get(0).getMessage().getHeader(SipHeaders.METHOD)).isEqualTo("MESSAGE");
    }

    @Test
    void aNonceIsTakenOnlyWhileFreshAndOnlyWhenTheHubIssuedIt() throws Exception {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_800_000_000_000L);
        Clock clock = new Clock() {
            @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public java.time.Instant instant() { return java.time.Instant.ofEpochMilli(now.get()); }
        };
        SipDigestAuthenticator digest = new SipDigestAuthenticator("cphub", "pbx", "a-synthetic-pbx-password", clock);
        javax.sip.SipFactory factory = javax.sip.SipFactory.getInstance();
        factory.setPathName("gov.nist");
        String nonce = digest.challenge(factory.createHeaderFactory()).getNonce();

        now.addAndGet(60_000);
        assertThat(digest.authenticates(request(factory, nonce, "a-synthetic-pbx-password"))).as("a minute later").isTrue();
        assertThat(digest.authenticates(request(factory, nonce, "a-wrong-password"))).isFalse();
        assertThat(digest.authenticates(request(factory, now.get() + ".0000", "a-synthetic-pbx-password"))).as("a forged nonce").isFalse();
        now.addAndGet(5 * 60_000);
        assertThat(digest.authenticates(request(factory, nonce, "a-synthetic-pbx-password"))).as("six minutes later").isFalse();
        assertThat(new SipDigestAuthenticator("cphub", "pbx", "", clock).enabled()).as("no password: off").isFalse();
    }

    /** A MESSAGE with the digest response (qop auth) a PBX would compute for {@code nonce}. */
    private static javax.sip.message.Request request(javax.sip.SipFactory factory, String nonce, String password) throws Exception {
        String uri = "sip:111@127.0.0.1";
        String ha1 = md5("pbx:cphub:" + password);
        String ha2 = md5("MESSAGE:" + uri);
        String response = md5(ha1 + ":" + nonce + ":00000001:abc123:auth:" + ha2);
        String text = "MESSAGE " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
                + "From: <sip:pbx@127.0.0.1>;tag=1\r\nTo: <" + uri + ">\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\n"
                + "Authorization: Digest username=\"pbx\",realm=\"cphub\",nonce=\"" + nonce + "\",uri=\"" + uri
                + "\",response=\"" + response + "\",algorithm=MD5,qop=auth,nc=00000001,cnonce=\"abc123\"\r\n"
                + "Content-Length: 0\r\n\r\n";
        return factory.createMessageFactory().createRequest(text);
    }

    private static String md5(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}

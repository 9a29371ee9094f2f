package vn.quangninh.cphub.sip;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

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
 * The sip: component on its own, sipp as the PBX: with {@code invite=decline} an INVITE is offered to the
 * route and answered 603; garbage and broken SIP on the socket reach no route and stop nothing — the
 * next request is answered as usual.
 */
class SipConsumerTest {

    private CamelContext camel;
    private int port;

    @BeforeEach
    void start() throws Exception {
        port = HubProcess.freePort();
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("sip:component-test?bindAddress=127.0.0.1&port=" + port + "&transport=udp&invite=decline").to("mock:requests");
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void aDeclinedInviteIsStillOfferedToTheRoute() throws Exception {
        MockEndpoint requests = camel.getEndpoint("mock:requests", MockEndpoint.class);
        requests.expectedMessageCount(1);
        requests.expectedHeaderReceived(SipHeaders.DIALOG_EVENT, SipHeaders.OFFERED);
        assertThat(Sipp.declinedCall(port)).isZero();
        requests.assertIsSatisfied(2000);
    }

    @Test
    void garbageOnTheSocketReachesNoRouteAndStopsNothing() throws Exception {
        MockEndpoint requests = camel.getEndpoint("mock:requests", MockEndpoint.class);
        requests.expectedMessageCount(1);
        try (DatagramSocket socket = new DatagramSocket()) {
            for (String garbage : new String[] {"\u0000\u0001\u0002 not sip at all",
                    "MESSAGE sip:111@127.0.0.1 SIP/2.0\r\nVia: broken\r\nCSeq: x\r\n\r\n",
                    "MESSAGE sip:111@127.0.0.1 SIP/2.0\r\nContent-Length: 99999999\r\n\r\n{}"}) {
                byte[] bytes = garbage.getBytes(StandardCharsets.ISO_8859_1);
                socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
            }
        }
        String event = "{\"event\":\"call.started\",\"callId\":\"c-after-garbage\",\"at\":\"2026-11-28T14:00:00+07:00\"}";
        assertThat(Sipp.message(port, "127.0.0.1", "application/json", "", event, 1, 200)).isZero();
        requests.assertIsSatisfied(2000);
    }
}

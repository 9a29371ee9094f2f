package vn.quangninh.cphub.hotline;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;
import vn.quangninh.cphub.sip.SipHeaders;

/**
 * The first step of the SIP connector: keeps the request body for cphub.invalid, and refuses (403) a
 * request from an address that is not one of the PBXs in {@code cphub.sip.allowed-peers}.
 */
@Component("sipPeerGuard")
public class SipPeerGuard implements Processor {

    private final Set<String> allowed;

    public SipPeerGuard(@Value("${cphub.sip.allowed-peers}") String allowedPeers) {
        this.allowed = Arrays.stream(allowedPeers.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void process(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        exchange.setProperty(HubHeaders.RAW_BODY, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
        // for the error handler's log lines, after the SIP headers are gone
        exchange.setProperty(SipHeaders.METHOD, exchange.getMessage().getHeader(SipHeaders.METHOD));
        exchange.setProperty(SipHeaders.CALL_ID, exchange.getMessage().getHeader(SipHeaders.CALL_ID));
        String peer = exchange.getMessage().getHeader(SipHeaders.PEER, String.class);
        if (peer == null || !allowed.contains(peer)) {
            throw new IntakeRejectedException(Refusal.NOT_PERMITTED, "peer_not_allowed", "SIP requests are taken from the hotline PBXs"
                    + " (cphub.sip.allowed-peers) only, not from " + peer);
        }
    }
}

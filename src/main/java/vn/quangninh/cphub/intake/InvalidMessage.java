package vn.quangninh.cphub.intake;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.model.RequestRefused;

/**
 * Prepares a refused message for the quarantine queue {@code cphub.invalid}: the raw bytes as they
 * arrived (the first 64 KiB of an oversize body) and why they were refused. No request header travels
 * with it (no credentials, no cookies).
 */
@Component("invalidMessage")
public class InvalidMessage implements Processor {

    public static final String STATUS = "cphubRejectStatus";
    /** Why, in no transport's terms ({@link Refusal}); an HL7 or MQTT message has this and no status. */
    public static final String REFUSAL = "cphubRejectRefusal";
    public static final String ERROR = "cphubRejectError";
    public static final String REASON = "cphubRejectReason";
    public static final String CONNECTOR = "cphubConnector";
    public static final String RECEIVED_AT = "cphubReceivedAt";
    public static final String TRUNCATED = "cphubTruncated";

    @Override
    public void process(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        byte[] raw = exchange.getProperty(HubHeaders.RAW_BODY, byte[].class);
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setBody(raw == null ? new byte[0] : raw);
        // the status the sender is answered, when its transport has one (HTTP, SIP): set by the route's error handling
        m.setHeader(STATUS, exchange.getProperty(IntakeResponses.REFUSAL_STATUS, Integer.class));
        if (caught instanceof IntakeRejectedException e) {
            m.setHeader(REFUSAL, e.refusal().name());
            m.setHeader(ERROR, e.error());
        } else if (caught instanceof RequestRefused e) {
            m.setHeader(ERROR, e.error());
        }
        m.setHeader(REASON, caught == null ? null : caught.getMessage());
        m.setHeader(CONNECTOR, exchange.getFromRouteId());
        m.setHeader(RECEIVED_AT, Instant.now().toString());
        m.setHeader(TRUNCATED, exchange.getProperty(HubHeaders.RAW_BODY_TRUNCATED, false, Boolean.class));
        String partner = exchange.getProperty(HubHeaders.PARTNER, String.class);
        if (partner != null) {
            m.setHeader(HubHeaders.PARTNER, partner);
        }
    }
}

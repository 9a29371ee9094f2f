package vn.quangninh.cphub.hospital;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.intake.IntakeRejectedException;

/**
 * The HL7 acknowledgements of the MLLP listener, handed to camel-mllp in the exchange property
 * {@code CamelMllpAcknowledgement}: AA only after the durable enqueue (or for a message the hub drops as
 * not relevant); AR, with an ERR segment, for what the sender must not send again as it is; AE when the
 * hub cannot store the message now, so the sender retries. MSA-2 echoes MSH-10. In enhanced mode (MSH-15
 * present) the same answers are given as commit acknowledgements CA / CR / CE; the hub sends no
 * application acknowledgement. Logs name the sender and MSH-10, never patient data.
 */
@Component("hl7Acknowledgements")
public class Hl7Acknowledgements {

    private static final Logger LOG = LoggerFactory.getLogger(Hl7Acknowledgements.class);
    private static final String MLLP_ACKNOWLEDGEMENT = "CamelMllpAcknowledgement";

    public void accept(Exchange exchange) {
        acknowledge(exchange, AcknowledgmentCode.AA, null, null);
    }

    public void reject(Exchange exchange) {
        IntakeRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, IntakeRejectedException.class);
        LOG.warn("HL7 message {} from {} rejected (AR): {} ({})", controlId(exchange), sender(exchange), e.error(), e.getMessage());
        ErrorCode code = switch (e.error()) {
            case "unsupported_type" -> ErrorCode.UNSUPPORTED_MESSAGE_TYPE;
            case "unsupported_version" -> ErrorCode.UNSUPPORTED_VERSION_ID;
            case "unsupported_charset", "wrong_charset" -> ErrorCode.DATA_TYPE_ERROR;
            case "too_large" -> ErrorCode.APPLICATION_INTERNAL_ERROR;
            case "unknown_sender" -> ErrorCode.UNKNOWN_KEY_IDENTIFIER;
            case "schema_violation" -> ErrorCode.DATA_TYPE_ERROR;
            default -> ErrorCode.SEGMENT_SEQUENCE_ERROR;
        };
        acknowledge(exchange, AcknowledgmentCode.AR, code, e.getMessage());
    }

    /** AE: the broker cannot take the message now, or the hub failed; nothing was stored. */
    public void error(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.error("HL7 message {} from {} not stored, answered AE: {}", controlId(exchange), sender(exchange),
                e == null ? "?" : e.getClass().getName());
        acknowledge(exchange, AcknowledgmentCode.AE, ErrorCode.APPLICATION_INTERNAL_ERROR,
                "The hub cannot store the message right now; send it again later");
    }

    private void acknowledge(Exchange exchange, AcknowledgmentCode original, ErrorCode error, String text) {
        Message message = exchange.getProperty(Hl7Reader.MESSAGE, Message.class);
        AcknowledgmentCode code = message != null && enhancedMode(message) ? commitCode(original) : original;
        String ack;
        try {
            ack = message != null
                    ? message.generateACK(code, error == null ? null : new HL7Exception(text, error)).encode()
                    : minimalAck(exchange, code, error, text);
        } catch (HL7Exception | IOException | RuntimeException e) {
            ack = minimalAck(exchange, code, error == null ? ErrorCode.APPLICATION_INTERNAL_ERROR : error, text);
        }
        exchange.setProperty(MLLP_ACKNOWLEDGEMENT, ack.getBytes(StandardCharsets.UTF_8));
    }

    /** Enhanced acknowledgement mode: the sender filled MSH-15 (accept acknowledgement type). */
    private static boolean enhancedMode(Message message) {
        return !Hl7Reader.field(message, "/MSH-15").isBlank();
    }

    /** The commit acknowledgement of enhanced mode: CA / CE / CR for AA / AE / AR. */
    private static AcknowledgmentCode commitCode(AcknowledgmentCode code) {
        return switch (code) {
            case AA, CA -> AcknowledgmentCode.CA;
            case AE, CE -> AcknowledgmentCode.CE;
            case AR, CR -> AcknowledgmentCode.CR;
        };
    }

    /** For a message HAPI could not parse: MSH and MSA from what can be read of its MSH segment. */
    private static String minimalAck(Exchange exchange, AcknowledgmentCode code, ErrorCode error, String text) {
        String[] msh = mshFields(exchange);
        String now = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        StringBuilder ack = new StringBuilder()
                .append("MSH|^~\\&|CPHUB|CPHUB|").append(at(msh, 2)).append('|').append(at(msh, 3)).append('|')
                .append(now).append("||ACK|").append(UUID.randomUUID().toString().replace("-", "").substring(0, 20))
                .append("|P|").append(at(msh, 11).isEmpty() ? "2.5" : at(msh, 11)).append('\r')
                .append("MSA|").append(code.name()).append('|').append(at(msh, 9)).append('\r');
        if (error != null) {
            ack.append("ERR|||").append(error.getCode()).append('^').append(error.getMessage()).append("^HL70357^^^^^^")
                    .append(text == null ? "" : text.replaceAll("[|^~\\\\&]", " ")).append("|E").append('\r');
        }
        return ack.toString();
    }

    private static String[] mshFields(Exchange exchange) {
        return Hl7Frames.mshFields(exchange.getProperty(HubHeaders.RAW_BODY, byte[].class));
    }

    private static String at(String[] fields, int i) {
        return i < fields.length ? fields[i] : "";
    }

    private static String controlId(Exchange exchange) {
        Message message = exchange.getProperty(Hl7Reader.MESSAGE, Message.class);
        return message != null ? Hl7Reader.field(message, "/MSH-10") : at(mshFields(exchange), 9);
    }

    private static String sender(Exchange exchange) {
        Object partner = exchange.getProperty(HubHeaders.PARTNER);
        return partner != null ? "partner " + partner : exchange.getMessage().getHeader("CamelMllpRemoteAddress", "?", String.class);
    }
}

package vn.quangninh.cphub.hospital;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.Location;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.util.Terser;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.incident.Incident;
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
    /** The hub's notation of a place in an HL7 message: segment, (repetition), -field, .component. */
    private static final Pattern LOCATION = Pattern.compile("([A-Z][A-Z0-9]{2})(?:\\((\\d+)\\))?(?:-(\\d+)(?:\\.(\\d+))?)?");

    public void accept(Exchange exchange) {
        acknowledge(exchange, AcknowledgmentCode.AA, null, null, null);
    }

    public void reject(Exchange exchange) {
        IntakeRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, IntakeRejectedException.class);
        LOG.warn("HL7 message {} from {} rejected (AR): {} at {} ({})", controlId(exchange), sender(exchange), e.error(),
                e.location() == null ? "the message" : e.location(), e.getMessage());
        ErrorCode code = switch (e.error()) {
            case "required_field" -> ErrorCode.REQUIRED_FIELD_MISSING;
            case "unsupported_type" -> ErrorCode.UNSUPPORTED_MESSAGE_TYPE;
            case "unsupported_version" -> ErrorCode.UNSUPPORTED_VERSION_ID;
            case "unsupported_charset", "wrong_charset" -> ErrorCode.DATA_TYPE_ERROR;
            case "too_large" -> ErrorCode.APPLICATION_INTERNAL_ERROR;
            case "unknown_sender" -> ErrorCode.UNKNOWN_KEY_IDENTIFIER;
            case "schema_violation" -> ErrorCode.DATA_TYPE_ERROR;
            default -> ErrorCode.SEGMENT_SEQUENCE_ERROR;
        };
        acknowledge(exchange, AcknowledgmentCode.AR, code, e.getMessage(), location(e.location()));
    }

    /** AE: the broker cannot take the message now, or the hub failed; nothing was stored. */
    public void error(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.error("HL7 message {} from {} not stored, answered AE: {}", controlId(exchange), sender(exchange),
                e == null ? "?" : e.getClass().getName());
        acknowledge(exchange, AcknowledgmentCode.AE, ErrorCode.APPLICATION_INTERNAL_ERROR,
                "The hub cannot store the message right now; send it again later", null);
    }

    private void acknowledge(Exchange exchange, AcknowledgmentCode original, ErrorCode error, String text,
                             Location location) {
        Message message = exchange.getProperty(Hl7Reader.MESSAGE, Message.class);
        AcknowledgmentCode code = message != null && enhancedMode(message) ? commitCode(original) : original;
        String ack;
        try {
            if (message == null) {
                ack = minimalAck(exchange, code, error, text, location);
            } else {
                HL7Exception failure = null;
                if (error != null) {
                    failure = new HL7Exception(text, error);
                    failure.setLocation(location);
                }
                Message answer = message.generateACK(code, failure);
                if (error != null) {
                    userMessage(answer, text);
                } else {
                    warnings(answer, exchange);
                }
                ack = answer.encode();
            }
        } catch (HL7Exception | IOException | RuntimeException e) {
            ack = minimalAck(exchange, code, error == null ? ErrorCode.APPLICATION_INTERNAL_ERROR : error, text, location);
        }
        exchange.setProperty(MLLP_ACKNOWLEDGEMENT, ack.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An AA with what the hub gave up to take the report (data-quality notes): one ERR each, severity W (warning),
     * ERR-2 where it was, ERR-8 what was done. Left out where the acknowledgement's version has no repeating ERR.
     */
    private static void warnings(Message ack, Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Incident.DataQualityNote> notes = exchange.getProperty(HospitalDataQuality.NOTES, List.of(), List.class);
        try {
            for (int i = 0; i < notes.size(); i++) {
                Incident.DataQualityNote note = notes.get(i);
                Segment err = (Segment) ack.get("ERR", i);
                Location at = location(note.source());
                if (at != null) {
                    Terser.set(err, 2, 0, 1, 1, at.getSegmentName());
                    Terser.set(err, 2, 0, 2, 1, Integer.toString(Math.max(at.getSegmentRepetition(), 1)));
                    if (at.getField() > 0) {
                        Terser.set(err, 2, 0, 3, 1, Integer.toString(at.getField()));
                    }
                }
                Terser.set(err, 3, 0, 1, 1, Integer.toString(ErrorCode.DATA_TYPE_ERROR.getCode()));
                Terser.set(err, 3, 0, 2, 1, ErrorCode.DATA_TYPE_ERROR.getMessage());
                Terser.set(err, 3, 0, 3, 1, ErrorCode.codeTable());
                Terser.set(err, 4, 0, 1, 1, "W");
                Terser.set(err, 8, 0, 1, 1, (note.source() == null ? note.field() : note.source()) + " " + note.action()
                        + ": " + note.reason());
            }
        } catch (HL7Exception | RuntimeException e) {
            LOG.debug("No data-quality warnings in this acknowledgement's version: {}", e.getClass().getSimpleName());
        }
    }

    /** ERR-8, the text a person at the hospital reads (v2.5 and later; earlier ERR segments have no such field). */
    private static void userMessage(Message ack, String text) {
        try {
            new Terser(ack).set("/ERR-8", text);
        } catch (HL7Exception | RuntimeException e) {
            // an ERR without ERR-8: the text is in ERR-3 (ERR-1 before 2.5) all the same
        }
    }

    /** {@code PID(2)-5.1} → a HAPI location for ERR-2; null for anything else (the whole message, several fields). */
    static Location location(String at) {
        if (at == null) {
            return null;
        }
        Matcher m = LOCATION.matcher(at);
        if (!m.matches()) {
            return null;
        }
        Location location = new Location().withSegmentName(m.group(1))
                .withSegmentRepetition(m.group(2) == null ? 1 : Integer.parseInt(m.group(2)));
        if (m.group(3) != null) {
            location.withField(Integer.parseInt(m.group(3)));
        }
        if (m.group(4) != null) {
            location.withComponent(Integer.parseInt(m.group(4)));
        }
        return location;
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
    private static String minimalAck(Exchange exchange, AcknowledgmentCode code, ErrorCode error, String text,
                                     Location location) {
        String[] msh = mshFields(exchange);
        String now = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        StringBuilder ack = new StringBuilder()
                .append("MSH|^~\\&|CPHUB|CPHUB|").append(at(msh, 2)).append('|').append(at(msh, 3)).append('|')
                .append(now).append("||ACK|").append(UUID.randomUUID().toString().replace("-", "").substring(0, 20))
                .append("|P|").append(at(msh, 11).isEmpty() ? "2.5" : at(msh, 11)).append('\r')
                .append("MSA|").append(code.name()).append('|').append(at(msh, 9)).append('\r');
        if (error != null) {
            String plain = text == null ? "" : text.replaceAll("[|^~\\\\&]", " ");
            ack.append("ERR||").append(location == null ? "" : erl(location)).append('|').append(error.getCode()).append('^')
                    .append(error.getMessage()).append("^HL70357^^^^^^").append(plain).append("|E||||").append(plain)
                    .append('\r');
        }
        return ack.toString();
    }

    /** ERR-2 (ERL) as text: segment ^ sequence ^ field ^ field repetition ^ component. */
    private static String erl(Location location) {
        StringBuilder erl = new StringBuilder(location.getSegmentName()).append('^')
                .append(Math.max(location.getSegmentRepetition(), 1));
        if (location.getField() > 0) {
            erl.append('^').append(location.getField());
            if (location.getComponent() > 0) {
                erl.append("^^").append(location.getComponent());
            }
        }
        return erl.toString();
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

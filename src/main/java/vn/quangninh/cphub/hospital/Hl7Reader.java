package vn.quangninh.cphub.hospital;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.util.idgenerator.UUIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.partner.Partner;
import vn.quangninh.cphub.partner.PartnerRegistry;

/**
 * Reads an HL7 v2 message from the MLLP listener: keeps the raw bytes (for cphub.invalid), parses them
 * with HAPI (v2.3 to v2.8, all read into the 2.5 structures; segments ended by CR, LF or CR LF), recognises the hospital by MSH-4, MSH-3
 * and the peer address ({@link Hl7MessageTypes} then checks version and type). The parsed message is left in
 * the exchange property {@link #MESSAGE}.
 */
@Component("hl7Reader")
public class Hl7Reader implements Processor {

    public static final String MESSAGE = "cphubHl7Message";

    /** How much of an oversize message is kept for operators. */
    private static final int OVERSIZE_KEPT_BYTES = 64 * 1024;

    private final PartnerRegistry partners;
    private final PipeParser parser;
    private final int maxMessageSize;

    public Hl7Reader(PartnerRegistry partners,
                     @Value("${cphub.hl7.max-message-size}") int maxMessageSize) {
        this.partners = partners;
        this.maxMessageSize = maxMessageSize;
        HapiContext context = new DefaultHapiContext();
        context.setModelClassFactory(new CanonicalModelClassFactory("2.5"));
        context.setValidationContext(ValidationContextFactory.noValidation());
        // ACK control ids: HAPI's default generator keeps a counter file in the working directory
        context.getParserConfiguration().setIdGenerator(new UUIDGenerator());
        this.parser = context.getPipeParser();
    }

    @Override
    public void process(Exchange exchange) {
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        if (raw.length > maxMessageSize) {
            exchange.setProperty(HubHeaders.RAW_BODY, Arrays.copyOf(raw, OVERSIZE_KEPT_BYTES));
            exchange.setProperty(HubHeaders.RAW_BODY_TRUNCATED, true);
            throw new IntakeRejectedException(413, "too_large",
                    "The message is larger than the limit of " + maxMessageSize + " bytes");
        }
        exchange.setProperty(HubHeaders.RAW_BODY, raw);
        Message message;
        try {
            // segments end with CR; senders that end them with LF or CR LF are read the same
            message = parser.parse(decode(raw).replace("\r\n", "\r").replace('\n', '\r'));
        } catch (HL7Exception | RuntimeException e) {
            throw new IntakeRejectedException(400, "unparseable", "The message is not HL7 v2 that the hub can read");
        }
        exchange.setProperty(MESSAGE, message);
        String facility = field(message, "/MSH-4-1");
        String address = exchange.getMessage().getHeader("CamelMllpRemoteAddress", String.class);
        Partner partner = partners.bySendingFacility(facility).orElse(null);
        if (partner == null || !partner.hl7().allowsApplication(field(message, "/MSH-3-1"))
                || !fromAllowedAddress(partner, address)) {
            throw new IntakeRejectedException(403, "unknown_sender",
                    "Sending facility and address are not a hospital partner of the hub");
        }
        exchange.setProperty(HubHeaders.PARTNER, partner.id());
    }

    /**
     * Decodes the bytes in the character set MSH-18 declares (UTF-8 when it declares none), strictly: a
     * message that is not valid in that set is refused rather than stored with broken names.
     */
    static String decode(byte[] raw) {
        String[] msh = Hl7Frames.mshFields(raw);
        String declared = msh.length > 17 ? msh[17].trim().toUpperCase(Locale.ROOT) : "";
        Charset charset = switch (declared) {
            case "", "UNICODE UTF-8" -> StandardCharsets.UTF_8;
            case "8859/1" -> StandardCharsets.ISO_8859_1;
            case "ASCII" -> StandardCharsets.US_ASCII;
            default -> throw new IntakeRejectedException(415, "unsupported_charset",
                    "Character set " + declared + " (MSH-18) is not supported; use UNICODE UTF-8");
        };
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new IntakeRejectedException(400, "wrong_charset",
                    "The message is not valid " + charset.name() + " (MSH-18 '" + declared + "')");
        }
    }

    private static boolean fromAllowedAddress(Partner partner, String remote) {
        var allowed = partner.hl7().allowedAddresses();
        if (allowed == null || allowed.isEmpty()) {
            return true;
        }
        if (remote == null) {
            return false;
        }
        String host = remote.startsWith("/") ? remote.substring(1) : remote;
        int colon = host.lastIndexOf(':');
        String ip = colon > 0 ? host.substring(0, colon) : host;
        return allowed.contains(ip);
    }

    static String field(Message message, String path) {
        try {
            String value = new Terser(message).get(path);
            return value == null ? "" : value;
        } catch (HL7Exception e) {
            return "";
        }
    }
}

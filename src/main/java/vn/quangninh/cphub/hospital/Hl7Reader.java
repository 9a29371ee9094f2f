package vn.quangninh.cphub.hospital;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.GenericModelClassFactory;
import ca.uhn.hl7v2.parser.ModelClassFactory;
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
import vn.quangninh.cphub.intake.Refusal;
import vn.quangninh.cphub.partner.Partner;
import vn.quangninh.cphub.partner.PartnerRegistry;

/**
 * Reads an HL7 v2 message from the MLLP listener: keeps the raw bytes (for cphub.invalid), parses them
 * with HAPI (v2.3 to v2.8, read into the 2.5 structures, or generically where a message does not fit them;
 * the text as senders write it, {@link Hl7Text}), recognises the hospital by MSH-4, MSH-3
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
    /** Where a message does not fit the 2.5 structures (groups out of order, segments where none belong). */
    private final PipeParser genericParser;
    private final int maxMessageSize;

    public Hl7Reader(PartnerRegistry partners,
                     @Value("${cphub.hl7.max-message-size}") int maxMessageSize) {
        this.partners = partners;
        this.maxMessageSize = maxMessageSize;
        this.parser = parser(new CanonicalModelClassFactory("2.5"));
        this.genericParser = parser(new GenericModelClassFactory());
    }

    private static PipeParser parser(ModelClassFactory structures) {
        HapiContext context = new DefaultHapiContext();
        context.setModelClassFactory(structures);
        context.setValidationContext(ValidationContextFactory.noValidation());
        // ACK control ids: HAPI's default generator keeps a counter file in the working directory
        context.getParserConfiguration().setIdGenerator(new UUIDGenerator());
        // OBX-5 read as text when OBX-2 is empty or names a type the structures do not know (TN, SN in 2.3 feeds)
        context.getParserConfiguration().setDefaultObx2Type("ST");
        context.getParserConfiguration().setInvalidObx2Type("ST");
        return context.getPipeParser();
    }

    @Override
    public void process(Exchange exchange) {
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        if (raw.length > maxMessageSize) {
            exchange.setProperty(HubHeaders.RAW_BODY, Arrays.copyOf(raw, OVERSIZE_KEPT_BYTES));
            exchange.setProperty(HubHeaders.RAW_BODY_TRUNCATED, true);
            throw new IntakeRejectedException(Refusal.TOO_LARGE, "too_large",
                    "The message is larger than the limit of " + maxMessageSize + " bytes");
        }
        exchange.setProperty(HubHeaders.RAW_BODY, raw);
        Message message = parse(Hl7Text.normalised(decode(raw)));
        exchange.setProperty(MESSAGE, message);
        String facility = field(message, "/MSH-4-1");
        String address = exchange.getMessage().getHeader("CamelMllpRemoteAddress", String.class);
        Partner partner = partners.bySendingFacility(facility).orElse(null);
        if (partner == null || !partner.hl7().allowsApplication(field(message, "/MSH-3-1"))
                || !fromAllowedAddress(partner, address)) {
            throw new IntakeRejectedException(Refusal.NOT_PERMITTED, "unknown_sender",
                    "Sending facility and address are not a hospital partner of the hub", List.of(), "MSH-4");
        }
        exchange.setProperty(HubHeaders.PARTNER, partner.id());
    }

    /**
     * Parses into the 2.5 structures; a message that does not fit them is read generically (every segment in
     * message order, which is all the mapper needs). Refused only when neither can read it, naming where.
     */
    private Message parse(String text) {
        try {
            return parser.parse(text);
        } catch (HL7Exception | RuntimeException strict) {
            try {
                return genericParser.parse(text);
            } catch (HL7Exception | RuntimeException e) {
                String location = strict instanceof HL7Exception h ? location(h.getLocation()) : null;
                throw new IntakeRejectedException(Refusal.MALFORMED, "unparseable", "The message is not HL7 v2 that the hub can read"
                        + (location == null ? "" : " (at " + location + ")"), List.of(), location);
            }
        }
    }

    /** A HAPI location in the hub's notation: {@code OBX(13)-2}, {@code PID-5.2}; null when unknown. */
    static String location(ca.uhn.hl7v2.Location location) {
        if (location == null || location.getSegmentName() == null) {
            return null;
        }
        StringBuilder at = new StringBuilder(location.getSegmentName());
        if (location.getSegmentRepetition() > 1) {
            at.append('(').append(location.getSegmentRepetition()).append(')');
        }
        if (location.getField() > 0) {
            at.append('-').append(location.getField());
            if (location.getComponent() > 0) {
                at.append('.').append(location.getComponent());
            }
        }
        return at.toString();
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
            default -> throw new IntakeRejectedException(Refusal.UNSUPPORTED, "unsupported_charset",
                    "Character set " + declared + " (MSH-18) is not supported; use UNICODE UTF-8", List.of(), "MSH-18");
        };
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "wrong_charset",
                    "The message is not valid " + charset.name() + " (MSH-18 '" + declared + "')", List.of(), "MSH-18");
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

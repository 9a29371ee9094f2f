package vn.quangninh.cphub.hospital;

import java.util.List;
import java.util.Set;

import ca.uhn.hl7v2.model.Message;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;
import vn.quangninh.cphub.partner.PartnerRegistry;

/**
 * Checks the HL7 version and message type, once {@link Hl7Reader} knows the sender. Versions 2.3 to 2.8 are read
 * (into the 2.5 structures). A type the hub does not use (ORM, OML, MDM, SIU, …) is read like the others when the
 * hospital's {@code hl7.unsupported} is {@code accept} (the default): a report about a child's maltreatment is
 * taken whatever message carries it, anything else gets AA and is counted as not relevant — the usual receiver
 * on a shared feed, where an AR on every such message would flood the hospital's engine with alerts. With
 * {@code reject} it gets AR, as before.
 */
@Component("hl7MessageTypes")
public class Hl7MessageTypes implements Processor {

    static final Set<String> SUPPORTED = Set.of("ADT^A01", "ADT^A04", "ADT^A08", "ORU^R01", "REF^I12");
    private static final Set<String> VERSIONS = Set.of("2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1",
            "2.8", "2.8.1", "2.8.2");

    private final PartnerRegistry partners;

    public Hl7MessageTypes(PartnerRegistry partners) {
        this.partners = partners;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getProperty(Hl7Reader.MESSAGE, Message.class);
        String version = Hl7Reader.field(message, "/MSH-12-1");
        if (!VERSIONS.contains(version)) {
            throw new IntakeRejectedException(Refusal.UNSUPPORTED, "unsupported_version", "HL7 version " + version
                    + " (MSH-12) is not supported (2.3 to 2.8)", List.of(), "MSH-12");
        }
        String type = Hl7Reader.field(message, "/MSH-9-1") + "^" + Hl7Reader.field(message, "/MSH-9-2");
        boolean rejects = partners.find(exchange.getProperty(HubHeaders.PARTNER, String.class))
                .map(p -> p.hl7() != null && p.hl7().rejectsUnsupportedTypes()).orElse(true);
        if (!SUPPORTED.contains(type) && rejects) {
            throw new IntakeRejectedException(Refusal.UNSUPPORTED, "unsupported_type",
                    "Message type " + type + " (MSH-9) is not supported (ADT^A01/A04/A08, ORU^R01, REF^I12)",
                    List.of(), "MSH-9");
        }
    }
}

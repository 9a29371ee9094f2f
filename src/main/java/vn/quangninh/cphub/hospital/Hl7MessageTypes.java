package vn.quangninh.cphub.hospital;

import java.util.Set;

import ca.uhn.hl7v2.model.Message;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.intake.IntakeRejectedException;

/** Refuses the HL7 versions and message types the hub does not take, once {@link Hl7Reader} knows the sender. */
@Component("hl7MessageTypes")
public class Hl7MessageTypes implements Processor {

    static final Set<String> SUPPORTED = Set.of("ADT^A01", "ADT^A04", "ADT^A08", "ORU^R01", "REF^I12");
    private static final Set<String> VERSIONS = Set.of("2.3", "2.3.1", "2.4", "2.5", "2.5.1");

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getProperty(Hl7Reader.MESSAGE, Message.class);
        String version = Hl7Reader.field(message, "/MSH-12-1");
        if (!VERSIONS.contains(version)) {
            throw new IntakeRejectedException(415, "unsupported_version", "HL7 version " + version + " is not supported");
        }
        String type = Hl7Reader.field(message, "/MSH-9-1") + "^" + Hl7Reader.field(message, "/MSH-9-2");
        if (!SUPPORTED.contains(type)) {
            throw new IntakeRejectedException(415, "unsupported_type",
                    "Message type " + type + " is not supported (ADT^A01/A04/A08, ORU^R01, REF^I12)");
        }
    }
}

package vn.quangninh.cphub.hospital;

import java.nio.file.Files;
import java.nio.file.Path;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.TestHubProperties;
import vn.quangninh.cphub.config.OperatorFiles;
import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.partner.PartnerRegistry;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A hospital's {@code hl7.unsupported}: {@code accept} (the default) lets a message type the hub does not use be
 * read like the others, {@code reject} refuses it; any other value stops the hub at start-up, naming the entry.
 */
class Hl7MessageTypesTest {

    private static final String ORDER = "MSH|^~\\&|HIS|H1|CPHUB|QN|20261128140500+0700||ORM^O01^ORM_O01|C1|P|2.5.1\r"
            + "PID|1||P1^^^H1^MR||Synthetic^Order^Child||20170415|F\rORC|NW|ORD-1\r";

    @TempDir
    Path config;

    @Test
    void aHospitalThatRejectsThemGetsArForATypeTheHubDoesNotUseAndTheOthersAreRead() throws Exception {
        Hl7MessageTypes types = new Hl7MessageTypes(partners("""
                  - id: rejecting
                    hl7: {sendingFacilities: [H1], unsupported: reject}
                  - id: accepting
                    hl7: {sendingFacilities: [H2], unsupported: accept}
                  - id: silent
                    hl7: {sendingFacilities: [H3]}
                """));
        assertThatThrownBy(() -> types.process(exchange("rejecting", ORDER)))
                .isInstanceOf(IntakeRejectedException.class)
                .hasMessageContaining("ORM^O01 (MSH-9) is not supported");
        assertThatCode(() -> types.process(exchange("accepting", ORDER))).doesNotThrowAnyException();
        assertThatCode(() -> types.process(exchange("silent", ORDER))).as("accept is the default").doesNotThrowAnyException();
        assertThatCode(() -> types.process(exchange("rejecting", ORDER.replace("ORM^O01^ORM_O01", "ADT^A04^ADT_A01"))))
                .as("a type the hub uses").doesNotThrowAnyException();
    }

    @Test
    void anotherAnswerStopsTheHubNamingTheEntry() throws Exception {
        assertThatThrownBy(() -> partners("""
                  - id: confused
                    hl7: {sendingFacilities: [H1], unsupported: ignore}
                """)).hasMessageContaining("partners[0].hl7.unsupported must be accept or reject, not 'ignore'");
    }

    private PartnerRegistry partners(String entries) throws Exception {
        Files.writeString(config.resolve("partners.yaml"), "partners:\n" + entries);
        OperatorFiles files = TestHubProperties.operatorFiles(config, new MockEnvironment());
        return new PartnerRegistry(files);
    }

    private static Exchange exchange(String partner, String hl7) throws Exception {
        DefaultHapiContext hapi = new DefaultHapiContext();
        hapi.setModelClassFactory(new CanonicalModelClassFactory("2.5"));
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Hl7Reader.MESSAGE, hapi.getPipeParser().parse(hl7));
        exchange.setProperty(HubHeaders.PARTNER, partner);
        return exchange;
    }
}

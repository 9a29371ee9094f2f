package vn.quangninh.cphub.logging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadLogGuardTest {

    @Test
    void keepsTheWordsAndDropsWhatLooksLikeData() {
        assertThat(PayloadLogGuard.textPart("Timeout receiving complete initial message on read [{} bytes]: {}"))
                .isEqualTo("Timeout receiving complete initial message on read");
        assertThat(PayloadLogGuard.textPart("readSocketInputStream(socketInputStream, Socket[addr=/1.2.3.4]) - ignoring 229 bytes: MSH|..."))
                .isEqualTo("readSocketInputStream");
        assertThat(PayloadLogGuard.textPart(":{}")).isEqualTo("(message withheld)");
    }

    @Test
    void namesTheClassEvenWhenTheLoggerEndsInAPort() {
        assertThat(PayloadLogGuard.simpleName("org.apache.camel.component.mllp.MllpTcpServerConsumer.2575"))
                .isEqualTo("MllpTcpServerConsumer");
        assertThat(PayloadLogGuard.simpleName("ca.uhn.hl7v2.parser.PipeParser")).isEqualTo("PipeParser");
    }
}

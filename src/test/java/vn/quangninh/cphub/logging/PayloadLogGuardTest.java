package vn.quangninh.cphub.logging;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
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

    @Test
    void withholdsAGuardedLoggersEnabledEventsAndLeavesEverythingElseToLogback() {
        PayloadLogGuard guard = new PayloadLogGuard(List.of("org.apache.camel.component.mllp", "ca.uhn"));
        LoggerContext context = new LoggerContext();
        Logger mllp = context.getLogger("org.apache.camel.component.mllp.MllpTcpServerConsumer.2575");
        Logger hub = context.getLogger("vn.quangninh.cphub.flow");
        mllp.setLevel(Level.INFO);

        // a guarded library's warning, which may carry a message's bytes: withheld (one safe line instead)
        assertThat(guard.decide(null, mllp, Level.WARN, "ignoring {} bytes: {}", new Object[] {229, "MSH|..."}, null))
                .isEqualTo(FilterReply.DENY);
        // a guarded library's debug call while it logs at INFO: logback drops it anyway, nothing to do
        assertThat(guard.decide(null, mllp, Level.DEBUG, "frame {}", new Object[] {"MSH|..."}, null))
                .isEqualTo(FilterReply.NEUTRAL);
        // an operator who turns the guarded library's DEBUG on still never sees its payloads
        mllp.setLevel(Level.DEBUG);
        assertThat(guard.decide(null, mllp, Level.DEBUG, "frame {}", new Object[] {"MSH|..."}, null))
                .isEqualTo(FilterReply.DENY);
        // the hub's own loggers (ids only) are not touched
        assertThat(guard.decide(null, hub, Level.INFO, "Incident {} routed", new Object[] {"id"}, null))
                .isEqualTo(FilterReply.NEUTRAL);
    }
}

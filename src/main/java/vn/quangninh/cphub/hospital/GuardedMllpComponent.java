package vn.quangninh.cphub.hospital;

import java.net.Socket;
import java.util.Map;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;
import org.springframework.stereotype.Component;

/**
 * camel-mllp, with {@link MllpConnections} deciding at accept time which connections the listener keeps
 * (camel-mllp only counts them, before any sender check). Registered as the {@code mllp} component, so the
 * routes and the {@code camel.component.mllp.*} settings stay camel-mllp's.
 */
@Component("mllp")
@org.apache.camel.spi.annotations.Component("mllp") // camel-mllp's generated property configurers, found by this name
public class GuardedMllpComponent extends MllpComponent {

    private final MllpConnections connections;

    public GuardedMllpComponent(MllpConnections connections) {
        this.connections = connections;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MllpEndpoint configured = (MllpEndpoint) super.createEndpoint(uri, remaining, parameters);
        GuardedEndpoint guarded = new GuardedEndpoint(uri, this, configured);
        guarded.setHostname(configured.getHostname());
        guarded.setPort(configured.getPort());
        return guarded;
    }

    private final class GuardedEndpoint extends MllpEndpoint {
        GuardedEndpoint(String uri, MllpComponent component, MllpEndpoint configured) {
            super(uri, component, configured.getConfiguration());
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            Consumer consumer = new MllpTcpServerConsumer(this, processor) {
                @Override
                public void validateConsumer(Socket socket) {
                    if (connections.admit(socket)) {
                        super.validateConsumer(socket);
                    }
                }
            };
            configureConsumer(consumer);
            return consumer;
        }
    }
}

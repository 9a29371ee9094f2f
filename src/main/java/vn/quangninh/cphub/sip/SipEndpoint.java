package vn.quangninh.cphub.sip;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/** A SIP listening point: address, port and transport. */
@UriEndpoint(scheme = "sip", title = "SIP (CP Hub)", syntax = "sip:name", consumerOnly = true, category = Category.NETWORKING)
public class SipEndpoint extends DefaultEndpoint {

    @UriPath(description = "A name for the listener (the stack's name)")
    private final String name;
    @UriParam(defaultValue = "0.0.0.0")
    private String bindAddress = "0.0.0.0";
    @UriParam(defaultValue = "5060")
    private int port = 5060;
    @UriParam(defaultValue = "udp", enums = "udp,tcp")
    private String transport = "udp";
    @UriParam(defaultValue = "65536", description = "Largest request body taken (bytes); larger ones get 413")
    private int maxBodySize = 65536;

    public SipEndpoint(String uri, SipComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("sip: is a consumer only (the hub never places calls)");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        SipConsumer consumer = new SipConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getName() { return name; }
    public String getBindAddress() { return bindAddress; }
    public void setBindAddress(String bindAddress) { this.bindAddress = bindAddress; }
    public int getPort() { return port; }
    public void setPort(int port) { this.port = port; }
    public String getTransport() { return transport; }
    public void setTransport(String transport) { this.transport = transport; }
    public int getMaxBodySize() { return maxBodySize; }
    public void setMaxBodySize(int maxBodySize) { this.maxBodySize = maxBodySize; }
}

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
    @UriParam(defaultValue = "udp,tcp", description = "udp, tcp or both (comma-separated), on the same port")
    private String transport = "udp,tcp";
    @UriParam(defaultValue = "observe", enums = "observe,decline",
            description = "INVITE: observe (ring, then answer with every media port 0) or decline (603 after the offer)")
    private String invite = "observe";
    @UriParam(defaultValue = "0", description = "Milliseconds between the 180 and the 200 to an INVITE (observe)")
    private long answerDelay;
    @UriParam(description = "Digest authentication of the PBX (a bean); none when absent or not enabled")
    private SipDigestAuthenticator authenticator;
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
    /** The transports to listen on, in order. */
    public java.util.List<String> transports() {
        java.util.List<String> list = java.util.Arrays.stream(transport.split(",")).map(String::trim)
                .map(t -> t.toLowerCase(java.util.Locale.ROOT)).filter(t -> !t.isEmpty()).distinct().toList();
        for (String t : list) {
            if (!t.equals("udp") && !t.equals("tcp")) {
                throw new IllegalArgumentException("sip: transport '" + t + "' is not udp or tcp");
            }
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("sip: no transport (udp, tcp or both)");
        }
        return list;
    }
    public String getInvite() { return invite; }
    public void setInvite(String invite) {
        if (!invite.equals("observe") && !invite.equals("decline")) {
            throw new IllegalArgumentException("sip: invite is observe or decline, not '" + invite + "'");
        }
        this.invite = invite;
    }
    public long getAnswerDelay() { return answerDelay; }
    public void setAnswerDelay(long answerDelay) { this.answerDelay = answerDelay; }
    public SipDigestAuthenticator getAuthenticator() { return authenticator; }
    public void setAuthenticator(SipDigestAuthenticator authenticator) {
        this.authenticator = authenticator == null || !authenticator.enabled() ? null : authenticator;
    }
    public int getMaxBodySize() { return maxBodySize; }
    public void setMaxBodySize(int maxBodySize) { this.maxBodySize = maxBodySize; }
}

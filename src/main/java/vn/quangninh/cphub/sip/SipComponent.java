package vn.quangninh.cphub.sip;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code sip:name?port=5060&transport=udp&bindAddress=0.0.0.0} — a SIP user agent server on JAIN-SIP
 * that hands SIP MESSAGE and NOTIFY requests to a route and answers them with the status the route
 * decides. (camel-sip left Camel after 3.16; this is the hub's own.) Consumer only.
 */
@Component("sip")
public class SipComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SipEndpoint endpoint = new SipEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}

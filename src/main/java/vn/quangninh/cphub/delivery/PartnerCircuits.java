package vn.quangninh.cphub.delivery;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.throttling.ThrottlingExceptionRoutePolicy;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubProperties;
import vn.quangninh.cphub.partner.PartnerRegistry;

/**
 * One circuit breaker per partner that has a sink, bound in Camel's registry as
 * {@code partnerCircuit-<partner>} before the routes start; each sink template names its own as route
 * policy. It is Camel's {@link ThrottlingExceptionRoutePolicy}: after {@code failureThreshold} failed attempts
 * within {@code failureWindow} it suspends the sink's consumer, so a partner that is down does not burn every
 * waiting referral's attempts (and send them all to its DLQ) — they stay in their queue, where the broker
 * keeps them in priority order; after {@code halfOpenAfter} one referral is tried, and one success resumes
 * the sink. A referral the partner refuses (4xx) is not a failure here: it goes to the DLQ and the circuit
 * stays closed.
 */
@Component
public class PartnerCircuits implements CamelContextConfiguration {

    private final PartnerRegistry partners;
    private final HubProperties.Circuit settings;

    public PartnerCircuits(PartnerRegistry partners, HubProperties hub) {
        this.partners = partners;
        this.settings = hub.delivery().circuit();
    }

    public static String beanName(String partner) {
        return "partnerCircuit-" + partner;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        partners.withSinks().forEach(partner -> camelContext.getRegistry().bind(beanName(partner.id()), circuit()));
    }

    private ThrottlingExceptionRoutePolicy circuit() {
        // its state is in JMX (Hawtio); it logs at DEBUG, on every exchange, so not louder: DeliveryFailure
        // already logs each failed attempt
        return new ThrottlingExceptionRoutePolicy(settings.failureThreshold(), settings.failureWindow().toMillis(),
                settings.halfOpenAfter().toMillis(), null);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
    }
}

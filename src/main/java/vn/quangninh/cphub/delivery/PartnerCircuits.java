package vn.quangninh.cphub.delivery;

import vn.quangninh.cphub.outbox.Lane;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.throttling.ThrottlingExceptionRoutePolicy;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubProperties;
import vn.quangninh.cphub.partner.PartnerRegistry;

/**
 * One circuit breaker per lane of each partner that has a sink, bound in Camel's registry as
 * {@code partnerCircuit-<partner>} (its routine queue) and {@code partnerCircuit-<partner>-urgent} (its emergency
 * lane) before the routes start; each sink route names its own as route policy. It is Camel's {@link ThrottlingExceptionRoutePolicy} ({@link PartnerCircuit}: its way back from open made safe for several consumers): after {@code failureThreshold} failed attempts
 * within {@code failureWindow} it suspends the sink's consumer, so a partner that is down does not burn every
 * waiting referral's attempts (and send them all to its DLQ) — they stay in their queue, where the broker
 * keeps them in priority order; after {@code halfOpenAfter} one referral is tried, and one success resumes
 * the sink. A referral the partner refuses (4xx) is not a failure here: it goes to the DLQ and the circuit
 * stays closed. Each circuit's state is the gauge {@code cphub_partner_circuit{partner, lane}} (0 closed, 1
 * half-open, 2 open) in {@code /actuator/prometheus}.
 */
@Component
public class PartnerCircuits implements CamelContextConfiguration {

    private final PartnerRegistry partners;
    private final HubProperties.Circuit settings;
    private final MeterRegistry meters;
    private final java.util.Map<String, PartnerCircuit> byBeanName = new java.util.concurrent.ConcurrentHashMap<>();
    private final javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
    private final java.util.List<javax.management.ObjectName> registered = new java.util.concurrent.CopyOnWriteArrayList<>();

    public PartnerCircuits(PartnerRegistry partners, HubProperties hub, MeterRegistry meters) {
        this.partners = partners;
        this.settings = hub.delivery().circuit();
        this.meters = meters;
    }

    public static String beanName(String partner, Lane lane) {
        return "partnerCircuit-" + partner + lane.suffix().replace('.', '-');
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        partners.withSinks().forEach(partner -> install(camelContext, partner.id()));
    }

    /**
     * The circuits of a partner's two lanes, bound in Camel's registry, counted and in JMX; a partner that has
     * them keeps them (a sink changed on a running hub keeps its circuit's state).
     */
    public synchronized void install(CamelContext camelContext, String partner) {
        if (byBeanName.containsKey(beanName(partner, Lane.ROUTINE))) {
            return;
        }
        PartnerCircuit urgent = circuit(partner, Lane.URGENT, null);
        PartnerCircuit routine = circuit(partner, Lane.ROUTINE, urgent);
        camelContext.getRegistry().bind(beanName(partner, Lane.URGENT), urgent);
        camelContext.getRegistry().bind(beanName(partner, Lane.ROUTINE), routine);
        byBeanName.put(beanName(partner, Lane.URGENT), urgent);
        byBeanName.put(beanName(partner, Lane.ROUTINE), routine);
        gauge(partner, "urgent", urgent);
        gauge(partner, "routine", routine);
        expose(partner, Lane.URGENT);
        expose(partner, Lane.ROUTINE);
    }

    /** A partner lane's circuit as operators name it: closed, half-open or open; empty when it has no sink. */
    public java.util.Optional<String> state(String partner, Lane lane) {
        return java.util.Optional.ofNullable(byBeanName.get(beanName(partner, lane)))
                .map(c -> switch (c.stateCode()) {
                    case 0 -> "closed";
                    case 1 -> "half-open";
                    default -> "open";
                });
    }

    /** Registers the lane's circuit as {@link PartnerCircuitView} under its readable name. */
    private void expose(String partner, Lane lane) {
        String laneName = lane == Lane.URGENT ? "emergency" : "routine";
        PartnerCircuitView view = new PartnerCircuitView() {
            public String getPartner() {
                return partner;
            }

            public String getLane() {
                return laneName;
            }

            public String getState() {
                return state(partner, lane).orElse("none");
            }

            public String getQueue() {
                return lane.queue(partner);
            }
        };
        try {
            javax.management.ObjectName name = new javax.management.ObjectName(
                    "vn.quangninh.cphub:type=PartnerCircuit,partner=" + partner + ",lane=" + laneName);
            if (jmx.isRegistered(name)) {
                // a second hub in the same JVM (tests): its own name
                name = new javax.management.ObjectName(name + ",instance=" + System.identityHashCode(this));
            }
            jmx.registerMBean(new javax.management.StandardMBean(view, PartnerCircuitView.class), name);
            registered.add(name);
        } catch (javax.management.JMException e) {
            throw new IllegalStateException("cannot register the circuit of " + partner + " in JMX", e);
        }
    }

    @jakarta.annotation.PreDestroy
    void unregister() {
        for (javax.management.ObjectName name : registered) {
            try {
                jmx.unregisterMBean(name);
            } catch (javax.management.JMException alreadyGone) {
                // nothing to undo
            }
        }
        registered.clear();
    }

    private void gauge(String partner, String lane, PartnerCircuit circuit) {
        Gauge.builder("cphub.partner.circuit", circuit, PartnerCircuit::stateCode)
                .description("A partner lane's circuit: 0 closed, 1 half-open, 2 open (the partner is down)")
                .tags("partner", partner, "lane", lane)
                .strongReference(true)
                .register(meters);
    }

    private PartnerCircuit circuit(String partner, Lane lane, PartnerCircuit emergencyLane) {
        // Camel's own state line is at DEBUG, on every exchange; PartnerCircuit says "down" and "back" once each
        return new PartnerCircuit(partner, lane, settings.failureThreshold(), settings.failureWindow().toMillis(),
                settings.halfOpenAfter().toMillis(), emergencyLane);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
    }
}

package vn.quangninh.cphub.connector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubProperties;
import vn.quangninh.cphub.outbox.Lane;
import vn.quangninh.cphub.outbox.LanePolicies;
import vn.quangninh.cphub.delivery.PartnerCircuits;
import vn.quangninh.cphub.partner.Partner;
import vn.quangninh.cphub.partner.PartnerRegistry;

/**
 * Creates one delivery route per partner with a {@code sink} in {@code config/partners.yaml}, from the
 * route template of the connector it names ({@code connectors/<connector>/<connector>.kamelet.yaml}). The sink's
 * parameters are first checked against that file's {@code spec.definition}, so a wrong setting stops the hub
 * at start-up with a message that names the partner, not at the first referral. A route that cannot be created
 * (a connector file naming a bean or template that is not there) stops it too, once Camel has started: Camel
 * only warns about it, and the hub ran, healthy, with nothing reaching that partner.
 */
@Component
public class ConnectorInstaller implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorInstaller.class);

    private final PartnerRegistry partners;
    private final Path connectorsDir;
    private final HubProperties.Delivery delivery;
    private final ObjectMapper json;
    /** Sink routes that could not be created: route id and partner → why. */
    private final Map<String, String> failed = new LinkedHashMap<>();

    public ConnectorInstaller(PartnerRegistry partners, HubProperties hub, ObjectMapper json) {
        this.partners = partners;
        this.connectorsDir = hub.connectorsDir();
        this.delivery = hub.delivery();
        this.json = json;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        partners.withSinks().forEach(p -> checkParameters(p, parametersOf(p)));
    }

    /**
     * Two routes per partner from its connector's template: {@code deliver-<partner>} from its queue and
     * {@code deliver-<partner>-urgent} from its emergency lane, each with its own consumers and circuit.
     */
    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        for (Partner partner : partners.withSinks()) {
            try {
                install(camelContext, partner);
            } catch (SinkNotInstalled notCreated) {
                String why = FileChecks.rootCause(notCreated).getMessage();
                failed.put(notCreated.routeId() + " (partner " + partner.id() + ", connector " + partner.sink().connector() + ")", why);
                LOG.error("Connector {} could not be installed for partner {} (route {}): {}", partner.sink().connector(),
                        partner.id(), notCreated.routeId(), why);
            }
        }
    }

    /** The ids of the two delivery routes of a partner: its queue's and its emergency lane's. */
    public static List<String> routeIds(String partnerId) {
        return java.util.Arrays.stream(Lane.values()).map(lane -> routeId(partnerId, lane)).toList();
    }

    private static String routeId(String partnerId, Lane lane) {
        return "deliver-" + partnerId + lane.suffix().replace('.', '-');
    }

    /**
     * Creates the partner's two delivery routes (started when Camel is); on a failure, what was created of them
     * is removed again and the exception says why.
     */
    public void install(CamelContext camelContext, Partner partner) {
        List<String> created = new java.util.ArrayList<>();
        String routeId = null;
        try {
            for (Lane lane : Lane.values()) {
                routeId = routeId(partner.id(), lane);
                TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(camelContext, partner.sink().connector())
                        .routeId(routeId);
                // nested settings (auth, tls) hold secrets: their beans read them from the registry, and
                // they never become route parameters, which Hawtio shows; the template sees only their type
                parametersOf(partner).forEach((name, value) -> builder.parameter(name,
                        value instanceof Map<?, ?> nested ? String.valueOf(nested.containsKey("type") ? nested.get("type") : "set")
                                : value));
                if (partner.sink().parameters() != null && partner.sink().parameters().get("tls") instanceof Map<?, ?>) {
                    builder.parameter("tlsContext", "#" + AgencyTls.beanName(partner.id()));
                }
                builder.parameter("queue", lane.queue(partner.id()));
                builder.parameter("circuit", PartnerCircuits.beanName(partner.id(), lane));
                // the lane's share of the cores: an emergency lane's deliveries count as emergencies under way, a
                // routine lane's wait while one is (outbox.EmergencyFirst)
                builder.parameter("lanePolicy", lane == Lane.URGENT ? LanePolicies.EMERGENCY_LANES : LanePolicies.ROUTINE_LANES);
                builder.parameter("concurrentConsumers", consumers(partner, lane));
                builder.add();
                created.add(routeId);
                LOG.info("Connector {} delivers to partner {} from {} (route {})", partner.sink().connector(), partner.id(),
                        lane.queue(partner.id()), routeId);
            }
        } catch (RuntimeException notCreated) {
            for (String made : created) {
                try {
                    camelContext.getRouteController().stopRoute(made);
                    camelContext.removeRoute(made);
                } catch (Exception cleanup) {
                    LOG.warn("Route {} of partner {} could not be removed again: {}", made, partner.id(), cleanup.toString());
                }
            }
            throw new SinkNotInstalled(routeId, notCreated);
        }
    }

    /**
     * Deliveries at once from one of a partner's lanes: its own setting in partners.yaml ({@code concurrentConsumers},
     * {@code urgentConcurrentConsumers}), else the hub's ({@code cphub.delivery.consumers}, {@code urgent-consumers}).
     */
    private Object consumers(Partner partner, Lane lane) {
        Map<String, Object> parameters = partner.sink().parameters();
        Object own = parameters == null ? null
                : parameters.get(lane == Lane.URGENT ? "urgentConcurrentConsumers" : "concurrentConsumers");
        return own != null ? own : lane == Lane.URGENT ? delivery.urgentConsumers() : delivery.consumers();
    }

    /** A partner's delivery route that could not be created, and why (the cause). */
    public static final class SinkNotInstalled extends IllegalStateException {

        private final String routeId;

        SinkNotInstalled(String routeId, Throwable cause) {
            super("route " + routeId + " could not be created", cause);
            this.routeId = routeId;
        }

        public String routeId() {
            return routeId;
        }
    }

    /** Without its sink a partner would get nothing and nobody would know: the hub does not start. */
    @EventListener(ApplicationReadyEvent.class)
    public void refuseToRunWithoutSinks() {
        if (!failed.isEmpty()) {
            throw new IllegalStateException("Delivery routes could not be created, so nothing would reach these partners: "
                    + failed + ". Fix the connector or config/partners.yaml and start the hub again.");
        }
    }

    private static Map<String, Object> parametersOf(Partner partner) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (partner.sink().parameters() != null) {
            parameters.putAll(partner.sink().parameters());
        }
        parameters.put("partnerId", partner.id());
        return parameters;
    }

    /**
     * Checks the partner's sink parameters against the {@code spec.definition} of its connector's Kamelet file.
     *
     * @throws IllegalStateException naming the partner, the connector's file and each problem by its field
     */
    public void checkParameters(Partner partner) {
        checkParameters(partner, parametersOf(partner));
    }

    private void checkParameters(Partner partner, Map<String, Object> parameters) {
        Path file = KameletFile.of(connectorsDir, partner.sink().connector());
        KameletFile kamelet;
        try {
            kamelet = KameletFile.read(file);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("Partner '" + partner.id() + "' uses connector '" + partner.sink().connector()
                    + "', but " + e.getMessage(), e);
        }
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(kamelet.definition());
        List<String> problems = schema.validate(json.valueToTree(parameters)).stream()
                .map(ValidationMessage::getMessage).sorted().toList();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("config/partners.yaml: the sink of partner '" + partner.id()
                    + "' does not fit connector '" + partner.sink().connector() + "' (spec.definition of " + file + "): "
                    + String.join("; ", problems));
        }
        if (parameters.get("bodyMapping") instanceof String mapping && !mapping.isBlank()) {
            checkMapping(partner, connectorsDir.resolve(partner.sink().connector()).resolve("mappings").resolve(mapping));
        }
    }

    /** A partner's body mapping must be there and be JSONata, or its first delivery would fail (and every retry). */
    private static void checkMapping(Partner partner, Path file) {
        String why;
        try {
            com.dashjoin.jsonata.Jsonata.jsonata(Files.readString(file));
            return;
        } catch (IOException e) {
            why = "cannot be read (" + e.getClass().getSimpleName() + ")";
        } catch (RuntimeException e) {
            why = "is not JSONata: " + e.getMessage();
        }
        throw new IllegalStateException("config/partners.yaml: the bodyMapping of partner '" + partner.id() + "', "
                + file + ", " + why);
    }
}

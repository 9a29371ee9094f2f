package vn.quangninh.cphub.intake;

import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.incident.IncidentSchema;

/**
 * Admits a candidate incident (the body, a JSON object from any source connector): validates it against
 * the schema (422), checks the sender speaks as itself (403), assigns the incident id and the time of
 * receipt. The body becomes the canonical JSON, with the headers triage reads.
 */
@Component("incidentAdmission")
public class IncidentAdmission implements Processor {

    /** Fields only the hub sets. */
    private static final List<String> HUB_FIELDS = List.of("incidentId", "receivedAt");

    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
    private final IncidentSchema schema;
    /** The hub's clock: receivedAt starts the legal clocks, so it comes from the same clock as their timers. */
    private final Clock clock;

    public IncidentAdmission(IncidentSchema schema, Clock clock) {
        this.schema = schema;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        ObjectNode message = exchange.getMessage().getBody(ObjectNode.class);
        String partner = exchange.getProperty(HubHeaders.PARTNER, String.class);
        for (String field : HUB_FIELDS) {
            if (message.has(field)) {
                throw new IntakeRejectedException(Refusal.INVALID, "schema_violation", "The message does not match the incident schema v1",
                        List.of("/" + field + ": is set by the hub and must not be sent"));
            }
        }
        List<String> violations = schema.violations(message);
        if (!violations.isEmpty()) {
            throw new IntakeRejectedException(Refusal.INVALID, "schema_violation", "The message does not match the incident schema v1",
                    violations);
        }
        Incident incident = json.convertValue(message, Incident.class);
        if (!incident.source().system().equals(partner)) {
            throw new IntakeRejectedException(Refusal.NOT_PERMITTED, "forbidden_source",
                    "Partner '" + partner + "' may only post incidents with source.system '" + partner + "'");
        }
        UUID incidentId = Incident.idFor(incident.source().system(), incident.source().eventId());
        message.put("incidentId", incidentId.toString());
        // ISO_INSTANT always writes the seconds (OffsetDateTime.toString() drops ":00")
        java.time.Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        message.put("receivedAt", DateTimeFormatter.ISO_INSTANT.format(receivedAt));

        var out = exchange.getMessage();
        // only the hub's operators have an incident triaged again (ops.IncidentRetriage, which admits nothing):
        // a sender's header of that name (HTTP headers named cphub* pass the connectors' removeHeaders) is dropped
        out.removeHeader(HubHeaders.RETRIAGE);
        out.setBody(message.toString());
        out.setHeader(HubHeaders.INCIDENT_ID, incidentId.toString());
        out.setHeader(HubHeaders.SOURCE_SYSTEM, incident.source().system());
        String dedupeKey = incident.source().system() + "/" + incident.source().eventId();
        out.setHeader(HubHeaders.DEDUPE_KEY, dedupeKey);
        out.setHeader(HubHeaders.PRIORITY, incident.priority());
        out.setHeader(HubHeaders.RECEIVED_AT, receivedAt.toEpochMilli());
    }
}

package vn.quangninh.cphub.intake;

import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.incident.IncidentSchema;

/**
 * Turns the raw bytes a partner posted into a canonical incident: parses them (400), validates them
 * against the schema (422), checks the partner posts as itself (403), and assigns the incident id and
 * the time of receipt. The message body becomes the canonical JSON.
 */
@Component("incidentReader")
public class IncidentReader implements Processor {

    /** Fields only the hub sets. */
    private static final List<String> HUB_FIELDS = List.of("incidentId", "receivedAt");

    private final ObjectMapper json;
    private final IncidentSchema schema;
    private final Clock clock;

    @Autowired
    public IncidentReader(IncidentSchema schema) {
        this(schema, Clock.systemUTC());
    }

    IncidentReader(IncidentSchema schema, Clock clock) {
        JsonFactory strict = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(1 << 20).build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.json = new ObjectMapper(strict).findAndRegisterModules()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.schema = schema;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        byte[] raw = exchange.getProperty(HubHeaders.RAW_BODY, byte[].class);
        String partner = exchange.getProperty(HubHeaders.PARTNER, String.class);
        ObjectNode message = parse(raw);
        for (String field : HUB_FIELDS) {
            if (message.has(field)) {
                throw new IntakeRejectedException(422, "schema_violation", "The message does not match the incident schema v1",
                        List.of("/" + field + ": is set by the hub and must not be sent"));
            }
        }
        List<String> violations = schema.violations(message);
        if (!violations.isEmpty()) {
            throw new IntakeRejectedException(422, "schema_violation", "The message does not match the incident schema v1",
                    violations);
        }
        Incident incident = json.convertValue(message, Incident.class);
        if (!incident.source().system().equals(partner)) {
            throw new IntakeRejectedException(403, "forbidden_source",
                    "Partner '" + partner + "' may only post incidents with source.system '" + partner + "'");
        }
        UUID incidentId = Incident.idFor(incident.source().system(), incident.source().eventId());
        message.put("incidentId", incidentId.toString());
        message.put("receivedAt", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.MILLIS).toString());

        var out = exchange.getMessage();
        out.setBody(message.toString());
        out.setHeader(HubHeaders.INCIDENT_ID, incidentId.toString());
        out.setHeader(HubHeaders.SOURCE_SYSTEM, incident.source().system());
        out.setHeader(HubHeaders.DEDUPE_KEY, incident.source().system() + "/" + incident.source().eventId());
        out.setHeader(HubHeaders.PRIORITY, incident.priority());
    }

    private ObjectNode parse(byte[] raw) {
        JsonNode node;
        try {
            node = json.readTree(raw);
        } catch (IOException e) {
            throw new IntakeRejectedException(400, "malformed_json", "The body is not well-formed JSON (UTF-8)",
                    List.of(firstLine(e)));
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IntakeRejectedException(400, "malformed_json", "The body must be one JSON object");
        }
        return object;
    }

    private static String firstLine(IOException e) {
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        if (m == null) {
            return "unreadable";
        }
        int cut = m.indexOf('\n');
        return cut < 0 ? m : m.substring(0, cut);
    }
}

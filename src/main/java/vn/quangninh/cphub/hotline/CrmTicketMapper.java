package vn.quangninh.cphub.hotline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.HubProperties;
import vn.quangninh.cphub.intake.IntakeRejectedException;

/**
 * Turns a counsellor's ticket from the hotline CRM (connectors/hotline-crm/ticket.schema.json; 422 with
 * every failing field when it does not fit) into a candidate canonical incident: channel hotline,
 * certainty suspected, priority from the urgency, the caller's number only when not withheld, the legal
 * basis consent when the caller agreed (emergency when the child is in danger now), and the call as an
 * evidence reference {@code sip-call:<Call-ID>} for the call records.
 */
@Component("crmTicketMapper")
public class CrmTicketMapper implements Processor {

    private static final Map<String, Integer> PRIORITY = Map.of("immediate", 1, "high", 2, "normal", 3, "low", 4);

    private final JsonSchema schema;
    private final ObjectMapper json;

    public CrmTicketMapper(HubProperties hub, ObjectMapper json) throws IOException {
        this.json = json;
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = Files.newInputStream(hub.connectorsDir().resolve("hotline-crm/ticket.schema.json"))) {
            this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        }
    }

    @Override
    public void process(Exchange exchange) {
        ObjectNode ticket = exchange.getMessage().getBody(ObjectNode.class);
        List<String> problems = schema.validate(ticket).stream()
                .map(m -> m.getInstanceLocation() + ": " + m.getMessage().replaceFirst("^\\S+: ", "")).sorted().toList();
        if (!problems.isEmpty()) {
            throw new IntakeRejectedException(422, "ticket_schema_violation", "The ticket does not fit the CRM ticket schema", problems);
        }
        exchange.getMessage().setBody(incident(ticket, exchange.getProperty(HubHeaders.PARTNER, String.class)));
        if (ticket.has("callId")) {
            exchange.getMessage().setHeader(HubHeaders.CALL_ID, ticket.get("callId").asText());
        }
        JsonNode caller = ticket.path("caller");
        exchange.setProperty(CallFacts.TICKET_CALLER, caller.path("withheld").asBoolean(false) ? "withheld"
                : caller.has("number") ? "given" : "absent");
    }

    ObjectNode incident(JsonNode ticket, String partner) {
        ObjectNode incident = json.createObjectNode().put("schemaVersion", "1").put("messageType", "alert");
        incident.putObject("source").put("system", partner).put("eventId", ticket.get("ticketId").asText()).put("channel", "hotline");
        incident.put("occurredAt", ticket.get("openedAt").asText());
        incident.put("category", ticket.get("category").asText());
        incident.put("certainty", "suspected");
        String urgency = ticket.get("urgency").asText();
        incident.put("priority", PRIORITY.get(urgency));
        if (ticket.has("signsOfCrime")) {
            incident.put("signsOfCrime", ticket.get("signsOfCrime").asBoolean());
        }
        if (ticket.has("location")) {
            incident.set("location", ticket.get("location").deepCopy());
        }
        if (ticket.has("child")) {
            ObjectNode victim = ((ObjectNode) ticket.get("child").deepCopy());
            ObjectNode subject = json.createObjectNode().put("role", "victim");
            subject.setAll(victim);
            incident.putArray("subjects").add(subject);
        }
        ObjectNode reporter = incident.putObject("reporter").put("line", ticket.get("line").asText());
        JsonNode caller = ticket.path("caller");
        boolean withheld = caller.path("withheld").asBoolean(false) || !caller.has("number");
        if (!withheld) {
            reporter.put("callerNumber", caller.get("number").asText());
        }
        reporter.put("numberWithheld", withheld);
        reporter.put("ticketId", ticket.get("ticketId").asText());
        if (ticket.has("callId")) {
            incident.putArray("evidence").addObject().put("kind", "other").put("ref", "sip-call:" + ticket.get("callId").asText());
        }
        if (ticket.has("narrative")) {
            incident.put("narrative", ticket.get("narrative").asText());
        }
        if (ticket.path("consent").asBoolean(false)) {
            incident.put("legalBasis", "consent");
        } else if ("immediate".equals(urgency)) {
            incident.put("legalBasis", "emergency");
        }
        return incident;
    }
}

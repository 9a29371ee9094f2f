package vn.quangninh.cphub.hotline;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;

/**
 * Joins a counsellor's ticket and the call it names (its SIP Call-ID), whichever reaches the hub first, so
 * that the ticket's recipients learn the call's facts — {@code reporter.call} (times, duration) and, when
 * the ticket gives no number and neither the ticket nor the call withheld it, the caller's number.
 * <ul>
 * <li>Call first: {@link #addTo} puts the facts into the ticket's incident before it is sent.</li>
 * <li>Ticket first (or during the call): {@link #ticketTaken} remembers the ticket; once the call has
 * ended, {@link #pendingUpdates} gives one {@code update} incident (referencing the ticket's) with the
 * final facts, which triage sends to the ticket's recipients; {@link #sent} marks it done.</li>
 * </ul>
 * Either order ends with the recipients knowing the same facts of the call. The update's id is fixed
 * per ticket ({@code <ticketId>/call}), so sending it twice is one update.
 */
@Component("callFacts")
public class CallFacts {

    /** The number the ticket itself gave: {@code given}, {@code withheld} or {@code absent}. */
    static final String TICKET_CALLER = "cphubTicketCaller";

    private final CallRecords calls;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    public CallFacts(CallRecords calls, JdbcTemplate jdbc, ObjectMapper json, Clock clock) {
        this.calls = calls;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /**
     * From the CRM's ticket (the body, before it is mapped): its call's Call-ID ({@link HubHeaders#CALL_ID}) and
     * whether the caller gave a number ({@link #TICKET_CALLER}: withheld, given or absent), for the call join.
     */
    public void readTicket(Exchange exchange) {
        JsonNode ticket = exchange.getMessage().getBody(JsonNode.class);
        if (ticket.hasNonNull("callId")) {
            exchange.getMessage().setHeader(HubHeaders.CALL_ID, ticket.get("callId").asText());
        }
        JsonNode caller = ticket.path("caller");
        exchange.setProperty(TICKET_CALLER, caller.path("withheld").asBoolean(false) ? "withheld"
                : caller.has("number") ? "given" : "absent");
    }

    /** Before admission: the facts of the ticket's call as the hub knows them now, if any. */
    public void addTo(Exchange exchange) {
        String callId = exchange.getMessage().getHeader(HubHeaders.CALL_ID, String.class);
        if (callId == null) {
            return;
        }
        ObjectNode incident = exchange.getMessage().getBody(ObjectNode.class);
        calls.find(callId).ifPresent(call -> addFacts((ObjectNode) incident.get("reporter"), call,
                exchange.getProperty(TICKET_CALLER, String.class)));
    }

    /** After the ticket's incident is on cphub.intake: remember it until its call has ended. Repeatable. */
    public void ticketTaken(Exchange exchange) throws JsonProcessingException {
        String callId = exchange.getMessage().getHeader(HubHeaders.CALL_ID, String.class);
        if (callId == null) {
            return;
        }
        JsonNode incident = json.readTree(exchange.getMessage().getBody(String.class));
        ObjectNode base = json.createObjectNode();
        for (String field : List.of("category", "certainty", "priority", "signsOfCrime")) {
            if (incident.has(field)) {
                base.set(field, incident.get(field));
            }
        }
        JsonNode location = incident.path("location");
        ObjectNode place = json.createObjectNode();
        for (String field : List.of("siteId", "commune", "district")) {
            if (location.has(field)) {
                place.set(field, location.get(field));
            }
        }
        if (!place.isEmpty()) {
            base.set("location", place);
        }
        JsonNode reporter = incident.path("reporter");
        base.putObject("reporter").put("line", reporter.path("line").asText()).put("ticketId", reporter.path("ticketId").asText());
        boolean complete = !reporter.path("call").path("endedAt").isMissingNode();
        try {
            jdbc.update("insert into hotline_ticket (incident_id, call_id, ticket_caller, update_base, call_facts_complete, created_at)"
                            + " values (?, ?, ?, ?, ?, ?)", incident.get("incidentId").asText(), callId,
                    exchange.getProperty(TICKET_CALLER, String.class), base.toString(), complete, Timestamp.from(clock.instant()));
        } catch (DuplicateKeyException again) {
            // the CRM resent the ticket: the first record stands
        }
    }

    /**
     * The updates owed for this call: one per ticket taken without the call's final facts, once the call
     * has ended. Each is a candidate incident for admission, from {@code hotline-crm}.
     */
    public List<ObjectNode> pendingUpdates(@Header(HubHeaders.CALL_ID) String callId) throws JsonProcessingException {
        List<ObjectNode> updates = new ArrayList<>();
        if (callId == null) {
            return updates;
        }
        Optional<CallRecords.Call> call = calls.find(callId);
        if (call.isEmpty() || !call.get().ended()) {
            return updates;
        }
        for (var ticket : jdbc.queryForList("select incident_id, ticket_caller, update_base from hotline_ticket"
                + " where call_id = ? and call_facts_complete = false", callId)) {
            ObjectNode update = (ObjectNode) json.readTree((String) ticket.get("update_base"));
            String ticketId = update.path("reporter").path("ticketId").asText();
            update.put("schemaVersion", "1").put("messageType", "update");
            update.putArray("references").add((String) ticket.get("incident_id"));
            update.putObject("source").put("system", "hotline-crm").put("eventId", ticketId + "/call").put("channel", "hotline");
            addFacts((ObjectNode) update.get("reporter"), call.get(), (String) ticket.get("ticket_caller"));
            updates.add(update);
        }
        return updates;
    }

    /** The update for a ticket is on cphub.intake: nothing more is owed for it. */
    public void sent(@Body String update) throws JsonProcessingException {
        String ticketIncident = json.readTree(update).path("references").path(0).asText();
        jdbc.update("update hotline_ticket set call_facts_complete = true where incident_id = ?", ticketIncident);
    }

    private static void addFacts(ObjectNode reporter, CallRecords.Call call, String ticketCaller) {
        ObjectNode facts = reporter.putObject("call").put("callId", call.callId());
        put(facts, "startedAt", call.startedAt());
        put(facts, "answeredAt", call.answeredAt());
        put(facts, "endedAt", call.endedAt());
        if (call.durationSeconds() != null) {
            facts.put("durationSeconds", call.durationSeconds());
        }
        if ("absent".equals(ticketCaller) && !call.callerWithheld() && call.callerNumber() != null) {
            reporter.put("callerNumber", call.callerNumber()).put("numberWithheld", false);
        } else if (!"given".equals(ticketCaller)) {
            reporter.put("numberWithheld", true);
        }
    }

    private static void put(ObjectNode node, String field, Instant at) {
        if (at != null) {
            node.put(field, DateTimeFormatter.ISO_INSTANT.format(at));
        }
    }
}

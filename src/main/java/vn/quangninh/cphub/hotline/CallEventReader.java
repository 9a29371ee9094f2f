package vn.quangninh.cphub.hotline;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.time.Clock;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;
import vn.quangninh.cphub.sip.SipHeaders;

/**
 * Reads a call event the PBX sends as a SIP MESSAGE or NOTIFY body ({@code application/json}; 415
 * otherwise, 400 when it does not fit):
 * {@code {"event": "call.started|call.answered|call.ended", "callId": "...", "line": "111", "at": "RFC 3339",
 * "durationSeconds": 312}}; without {@code line}, the hotline is the Request-URI's (else the To's) user part
 * when it is one of {@code cphub.sip.lines}. The caller is taken from P-Asserted-Identity, else From; {@code Privacy: id}
 * or an anonymous From withholds it, and then no number goes anywhere. The body becomes the hub's call
 * event for cphub.calls. A call the hub observes itself (INVITE, answer, CANCEL, BYE; header
 * {@link SipHeaders#DIALOG_EVENT}) gives the same events, timed by the hub's clock.
 */
@Component("callEventReader")
public class CallEventReader implements Processor {

    private static final Set<String> EVENTS = Set.of("call.started", "call.answered", "call.ended");
    private static final Set<String> FIELDS = Set.of("event", "callId", "line", "at", "durationSeconds");

    private static final Map<String, String> DIALOG_EVENTS = Map.of(SipHeaders.OFFERED, "call.started",
            SipHeaders.ANSWERED, "call.answered", SipHeaders.CANCELLED, "call.ended", SipHeaders.ENDED, "call.ended");

    private final ObjectMapper json;
    private final Clock clock;
    private final Set<String> lines;

    /** @param lines the hotline numbers ({@code cphub.sip.lines}) a call's Request-URI or To may name */
    public CallEventReader(ObjectMapper json, Clock clock,
                           @org.springframework.beans.factory.annotation.Value("${cphub.sip.lines}") String lines) {
        this.json = json;
        this.clock = clock;
        this.lines = java.util.Arrays.stream(lines.split(",")).map(String::trim).filter(l -> !l.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String dialogEvent = in.getHeader(SipHeaders.DIALOG_EVENT, String.class);
        ObjectNode call = dialogEvent == null ? fromBody(in) : fromDialog(in, dialogEvent);
        if (!call.has("line")) {
            String line = line(in.getHeader(SipHeaders.REQUEST_URI, String.class));
            if (line == null) {
                line = line(in.getHeader(SipHeaders.TO, String.class));
            }
            if (line != null) {
                call.put("line", line);
            }
        }
        in.setBody(call.toString());
        in.setHeader(vn.quangninh.cphub.HubHeaders.CALL_ID, call.get("callId").asText());
    }

    /**
     * A step of a call the hub observes (INVITE, its answer, CANCEL, BYE), at the hub's time. Only the
     * INVITE says who calls: a BYE or CANCEL may lack the caller's Privacy header, so it names nobody.
     */
    private ObjectNode fromDialog(Message in, String dialogEvent) {
        ObjectNode call = json.createObjectNode().put("event", DIALOG_EVENTS.get(dialogEvent))
                .put("callId", in.getHeader(SipHeaders.CALL_ID, String.class))
                .put("at", OffsetDateTime.now(clock).toString());
        if (SipHeaders.OFFERED.equals(dialogEvent)) {
            addCaller(in, call);
        }
        return call;
    }

    private void addCaller(Message in, ObjectNode call) {
        String caller = caller(in);
        call.put("callerWithheld", caller == null);
        if (caller != null) {
            call.put("callerNumber", caller);
        }
    }

    private ObjectNode fromBody(Message in) {
        String type = in.getHeader(SipHeaders.CONTENT_TYPE, String.class);
        if (type == null || !type.toLowerCase(Locale.ROOT).equals("application/json")) {
            throw new IntakeRejectedException(Refusal.UNSUPPORTED, "unsupported_media_type", "Send call events as application/json");
        }
        JsonNode event;
        try {
            event = json.readTree(in.getBody(String.class));
        } catch (JsonProcessingException e) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "malformed_json", "The body is not JSON");
        }
        if (event == null || !event.isObject()) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "malformed_json", "The body must be one JSON object");
        }
        List<String> problems = new ArrayList<>();
        event.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                problems.add("/" + f + ": unknown field");
            }
        });
        if (!EVENTS.contains(event.path("event").asText())) {
            problems.add("/event: one of call.started, call.answered, call.ended");
        }
        if (!event.path("callId").isTextual() || event.path("callId").asText().isBlank() || event.path("callId").asText().length() > 256) {
            problems.add("/callId: required, at most 256 characters");
        }
        if (event.has("line") && !event.path("line").asText().matches("[0-9]{3,16}")) {
            problems.add("/line: 3 to 16 digits");
        }
        try {
            OffsetDateTime.parse(event.path("at").asText());
        } catch (DateTimeParseException e) {
            problems.add("/at: required, RFC 3339 date-time with offset");
        }
        if (event.has("durationSeconds") && (!event.get("durationSeconds").canConvertToInt() || event.get("durationSeconds").asInt() < 0)) {
            problems.add("/durationSeconds: a whole number, at least 0");
        }
        if (!problems.isEmpty()) {
            throw new IntakeRejectedException(Refusal.INVALID, "invalid_call_event", "The call event does not fit", problems);
        }
        ObjectNode call = ((ObjectNode) event).deepCopy();
        addCaller(in, call);
        return call;
    }

    /** The user part of a sip:, sips: or tel: URI ("0900000001" of "<sip:0900000001@pbx;user=phone>"). */
    private static String userPart(String uri) {
        return uri.replaceAll("^.*?(sips?|tel):", "").replaceAll("[@;>].*$", "");
    }

    /** The hotline a SIP URI names (its user part), when it is one of {@code cphub.sip.lines}. */
    private String line(String uri) {
        if (uri == null) {
            return null;
        }
        String user = userPart(uri);
        return lines.contains(user) ? user : null;
    }

    /** The caller's number, or null when withheld. */
    static String caller(Message in) {
        String privacy = in.getHeader(SipHeaders.PRIVACY, String.class);
        if (privacy != null && privacy.toLowerCase(Locale.ROOT).matches(".*\\b(id|user|header)\\b.*")) {
            return null;
        }
        String asserted = in.getHeader(SipHeaders.P_ASSERTED_IDENTITY, String.class);
        String uri = asserted != null ? asserted : in.getHeader(SipHeaders.FROM, String.class);
        if (uri == null) {
            return null;
        }
        String user = userPart(uri);
        if (user.isBlank() || user.toLowerCase(Locale.ROOT).contains("anonymous")) {
            return null;
        }
        return user.matches("\\+?[0-9]{3,20}") ? user : null;
    }
}

package vn.quangninh.cphub.intake;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.HubProperties;
import vn.quangninh.cphub.model.RequestRefused;

/**
 * Writes the answers of the HTTP intake connectors. Request headers never flow back: every answer starts
 * from an empty header set. Logs name the partner and incident, never the body.
 */
@Component("intakeResponses")
public class IntakeResponses {

    /** The HTTP status routes/errors-http-intake.camel.yaml gives a domain refusal. */
    public static final String REFUSAL_STATUS = "cphubRefusalStatus";

    private static final Logger LOG = LoggerFactory.getLogger(IntakeResponses.class);

    private final ObjectMapper json;
    private final Duration retryAfter;

    private final io.micrometer.core.instrument.MeterRegistry meters;

    public IntakeResponses(ObjectMapper json, HubProperties hub, io.micrometer.core.instrument.MeterRegistry meters) {
        this.json = json;
        this.retryAfter = hub.intake().retryAfter();
        this.meters = meters;
    }

    /** 202: the incident is durably on cphub.intake. */
    public void accepted(Exchange exchange) {
        String incidentId = exchange.getMessage().getHeader(HubHeaders.INCIDENT_ID, String.class);
        LOG.info("Incident {} accepted from partner {}", incidentId, exchange.getProperty(HubHeaders.PARTNER));
        ObjectNode body = json.createObjectNode().put("incidentId", incidentId).put("status", "accepted");
        answer(exchange, 202, body);
    }

    /**
     * The HTTP status of a refusal, as the HTTP intake connectors answer it (the FHIR endpoint too): the HTTP edge's
     * reading of {@link Refusal}. Set as exchange property {@value #REFUSAL_STATUS} by the route's error handling
     * (routes/errors-http-intake.camel.yaml) before the refusal is kept, so that cphub.invalid records what the
     * sender was answered.
     */
    public int httpStatus(Exchange exchange) {
        return httpStatus(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, IntakeRejectedException.class).refusal());
    }

    public static int httpStatus(Refusal refusal) {
        return switch (refusal) {
            case MALFORMED -> 400;
            case UNAUTHENTICATED -> 401;
            case NOT_PERMITTED -> 403;
            case TOO_LARGE -> 413;
            case UNSUPPORTED -> 415;
            case INVALID -> 422;
            case RATE_LIMITED -> 429;
        };
    }

    /** 4xx: the sender must fix the message; retrying it as it is will not help. */
    public void rejected(Exchange exchange) {
        IntakeRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, IntakeRejectedException.class);
        int status = httpStatus(e.refusal());
        LOG.warn("Rejected a message from {} on {}: {} {} ({})", partnerOrAnonymous(exchange),
                exchange.getFromRouteId(), status, e.error(), e.getMessage());
        answer(exchange, status, error(status, e.error(), e.getMessage(), e.details()));
    }

    /**
     * A request the domain refused ({@link RequestRefused}), answered with the status its route's error handling
     * chose for that refusal (exchange property {@value #REFUSAL_STATUS}: 404, 403, 409).
     */
    public void refused(Exchange exchange) {
        RequestRefused e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RequestRefused.class);
        int status = exchange.getProperty(REFUSAL_STATUS, 400, Integer.class);
        LOG.warn("Refused a request from {} on {}: {} {} ({})", partnerOrAnonymous(exchange),
                exchange.getFromRouteId(), status, e.error(), e.getMessage());
        answer(exchange, status, error(status, e.error(), e.getMessage(), List.of()));
    }

    /** 429: the sender is over its rate; counted, logged at DEBUG only (see {@link RateLimitedException}). */
    public void rateLimited(Exchange exchange) {
        RateLimitedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RateLimitedException.class);
        LOG.debug("Rate-limited {} on {}", partnerOrAnonymous(exchange), exchange.getFromRouteId());
        meters.counter("cphub.intake.rate_limited", "route", String.valueOf(exchange.getFromRouteId())).increment();
        answer(exchange, 429, error(429, e.error(), e.getMessage(), e.details()));
        exchange.getMessage().setHeader("Retry-After", e.retryAfterSeconds());
    }

    /** 503: the broker cannot take the message now; the sender keeps it and retries. */
    public void unavailable(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.error("Broker unavailable, answering 503 to {} on {}: {}", partnerOrAnonymous(exchange),
                exchange.getFromRouteId(), e.getClass().getName());
        answer(exchange, 503, error(503, "unavailable", "The hub cannot store the message right now; retry later", List.of()));
        exchange.getMessage().setHeader("Retry-After", retryAfter.toSeconds());
    }

    /** 500: a fault of the hub; nothing was stored, the sender retries. Only the exception class is logged. */
    public void failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.error("Unexpected {} handling a message from {} on {}", e.getClass().getName(), partnerOrAnonymous(exchange),
                exchange.getFromRouteId());
        answer(exchange, 500, error(500, "internal_error", "The hub could not take the message; retry later", List.of()));
    }

    private ObjectNode error(int status, String error, String message, List<String> details) {
        ObjectNode body = json.createObjectNode().put("status", status).put("error", error).put("message", message);
        if (!details.isEmpty()) {
            body.set("details", json.valueToTree(details));
        }
        return body;
    }

    private static void answer(Exchange exchange, int status, ObjectNode body) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(body.toString());
    }

    private static String partnerOrAnonymous(Exchange exchange) {
        String partner = exchange.getProperty(HubHeaders.PARTNER, String.class);
        return partner == null ? "an unauthenticated sender" : "partner " + partner;
    }
}

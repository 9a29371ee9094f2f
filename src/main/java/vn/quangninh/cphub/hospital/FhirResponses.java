package vn.quangninh.cphub.hospital;

import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.HubProperties;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.IntakeResponses;
import vn.quangninh.cphub.intake.Refusal;

/**
 * The answers of the FHIR endpoint, each an OperationOutcome: 202 once the incident is durably queued,
 * 200 for a report the hub does not keep (not about a child's maltreatment), 4xx with the reason for what
 * the sender must fix, 503 / 500 when nothing was stored and the sender should retry.
 */
@Component("fhirResponses")
public class FhirResponses {

    private static final Logger LOG = LoggerFactory.getLogger(FhirResponses.class);

    private final FhirContext fhir = FhirContext.forR4Cached();
    private final long retryAfterSeconds;

    public FhirResponses(HubProperties hub) {
        this.retryAfterSeconds = hub.intake().retryAfter().toSeconds();
    }

    public void accepted(Exchange exchange) {
        String incidentId = exchange.getMessage().getHeader(HubHeaders.INCIDENT_ID, String.class);
        LOG.info("Incident {} accepted from partner {} (FHIR)", incidentId, exchange.getProperty(HubHeaders.PARTNER));
        OperationOutcome outcome = outcome(IssueSeverity.INFORMATION, IssueType.INFORMATIONAL,
                "accepted as incident " + incidentId, null);
        // what the hub gave up to take the report: one warning each, with where it was in the Bundle
        for (Incident.DataQualityNote note : notes(exchange)) {
            outcome.addIssue().setSeverity(IssueSeverity.WARNING).setCode(IssueType.VALUE)
                    .setDiagnostics(note.action() + ": " + note.reason() + " (incident field " + note.field() + ")")
                    .addExpression(note.source() == null ? note.field() : note.source());
        }
        answer(exchange, 202, outcome);
    }

    @SuppressWarnings("unchecked")
    private static List<Incident.DataQualityNote> notes(Exchange exchange) {
        return exchange.getProperty(HospitalDataQuality.NOTES, List.of(), List.class);
    }

    public void notRelevant(Exchange exchange) {
        answer(exchange, 200, IssueSeverity.INFORMATION, IssueType.INFORMATIONAL,
                "received; not about a child's maltreatment, so not kept");
    }

    /** A refusal as an OperationOutcome, with the HTTP status of the HTTP edge (intake.IntakeResponses) and the issue type of its {@link Refusal}. */
    public void rejected(Exchange exchange) {
        IntakeRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, IntakeRejectedException.class);
        int status = IntakeResponses.httpStatus(e.refusal());
        LOG.warn("Rejected a FHIR message from {}: {} {} ({})", exchange.getProperty(HubHeaders.PARTNER), status,
                e.error(), e.getMessage());
        String details = e.details().isEmpty() ? "" : ": " + String.join("; ", e.details());
        IssueType type = switch (e.refusal()) {
            case UNAUTHENTICATED -> IssueType.LOGIN;
            case NOT_PERMITTED -> IssueType.FORBIDDEN;
            case TOO_LARGE -> IssueType.TOOCOSTLY;
            case UNSUPPORTED -> IssueType.NOTSUPPORTED;
            case MALFORMED -> IssueType.STRUCTURE;
            case RATE_LIMITED -> IssueType.THROTTLED;
            case INVALID -> IssueType.INVALID;
        };
        answer(exchange, status, outcome(IssueSeverity.ERROR, type, e.error() + ": " + e.getMessage() + details,
                e.location()));
    }

    /** 429 with Retry-After: too many failed sign-ins from this client (security.CredentialBackoff); not kept. */
    public void rateLimited(Exchange exchange) {
        vn.quangninh.cphub.intake.RateLimitedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                vn.quangninh.cphub.intake.RateLimitedException.class);
        answer(exchange, 429, IssueSeverity.ERROR, IssueType.THROTTLED, e.error() + ": " + e.getMessage());
        exchange.getMessage().setHeader("Retry-After", e.retryAfterSeconds());
    }

    public void unavailable(Exchange exchange) {
        LOG.error("Broker unavailable, answering 503 to {} (FHIR)", exchange.getProperty(HubHeaders.PARTNER));
        answer(exchange, 503, IssueSeverity.ERROR, IssueType.TRANSIENT, "The hub cannot store the message right now; retry later");
        exchange.getMessage().setHeader("Retry-After", retryAfterSeconds);
    }

    public void failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.error("Unexpected {} handling a FHIR message from {}", e.getClass().getName(), exchange.getProperty(HubHeaders.PARTNER));
        answer(exchange, 500, IssueSeverity.FATAL, IssueType.EXCEPTION, "The hub could not take the message; retry later");
    }

    private void answer(Exchange exchange, int status, IssueSeverity severity, IssueType type, String text) {
        answer(exchange, status, outcome(severity, type, text, null));
    }

    /** @param expression where in the sender's resource (FHIRPath), or null */
    private static OperationOutcome outcome(IssueSeverity severity, IssueType type, String text, String expression) {
        OperationOutcome outcome = new OperationOutcome();
        var issue = outcome.addIssue().setSeverity(severity).setCode(type).setDiagnostics(text);
        if (expression != null) {
            issue.addExpression(expression);
        }
        return outcome;
    }

    private void answer(Exchange exchange, int status, OperationOutcome outcome) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/fhir+json");
        out.setBody(fhir.newJsonParser().encodeResourceToString(outcome));
    }
}

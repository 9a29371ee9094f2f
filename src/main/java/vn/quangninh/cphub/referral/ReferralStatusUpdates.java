package vn.quangninh.cphub.referral;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.clock.ClockPolicy;
import vn.quangninh.cphub.clock.ReferralClocks;
import vn.quangninh.cphub.model.ConflictingState;
import vn.quangninh.cphub.model.NotPermitted;
import vn.quangninh.cphub.model.Referral;
import vn.quangninh.cphub.model.ReferralStatus;
import vn.quangninh.cphub.model.UnknownRecord;
import vn.quangninh.cphub.outbox.PartnerOutbox;
import vn.quangninh.cphub.store.Journey;

/**
 * The steps of a recipient's report on its referral that are not SQL or sends (those are in
 * routes/referral-status-updates.camel.yaml): the checks — only the recipient may report, the move must be allowed
 * ({@link ReferralStatus#canMoveTo}), repeating the current status changes nothing — the clocks the new status
 * stops, the journey, and the inputs of the update bodies (routes/mappings/referral-status.jsonata). What a step
 * needs from an earlier one travels in exchange properties ({@code cphubReport*}).
 */
@Component("referralStatusUpdates")
public class ReferralStatusUpdates {

    static final String REFERRAL = "cphubReportReferral";
    static final String INCIDENT = "cphubReportIncident";
    static final String REPORTER = "cphubReportReporter";
    static final String PRIORITY = "cphubReportPriority";
    static final String PREVIOUS = "cphubReportPrevious";
    static final String OR_MOVED_BY_HUB = "cphubReportOrMovedByHub";
    static final String STATUS = "cphubReportStatus";
    static final String STATUS_ID = "cphubReportStatusId";
    static final String CASE_ID = "cphubReportCaseId";
    static final String REASON = "cphubReportReason";
    static final String AT = "cphubReportAt";
    static final String UNCHANGED = "cphubReportUnchanged";
    static final String STOPPED = "cphubReportStoppedClocks";
    static final String SUPERVISOR = "cphubReportSupervisor";

    private final ReferralBook referrals;
    private final ReferralClocks clocks;
    private final ClockPolicy policy;
    private final PartnerOutbox outbox;
    private final Journey journey;
    private final ObjectMapper json;
    private final Clock clock;

    public ReferralStatusUpdates(ReferralBook referrals, ReferralClocks clocks, ClockPolicy policy, PartnerOutbox outbox,
                                 Journey journey, ObjectMapper json, Clock clock) {
        this.referrals = referrals;
        this.clocks = clocks;
        this.policy = policy;
        this.outbox = outbox;
        this.journey = journey;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The report (the body, a {@link StatusReport}) against its referral (header {@code referralId}) and the
     * partner that sent it: 404 no such referral, 403 not its recipient, 409 a move its status cannot make. Sets the
     * properties the route's steps use; {@value #UNCHANGED} when the referral has that status already.
     */
    public void check(Exchange exchange) {
        UUID referralId = parse(exchange.getMessage().getHeader("referralId", String.class));
        String partner = exchange.getProperty(HubHeaders.PARTNER, String.class);
        StatusReport report = exchange.getMessage().getBody(StatusReport.class);
        ReferralBook.Entry referral = referrals.find(referralId)
                .orElseThrow(() -> new UnknownRecord("unknown_referral", "No referral " + referralId));
        if (!referral.partner().equals(partner)) {
            throw new NotPermitted("not_the_recipient",
                    "Only the recipient of referral " + referralId + " may report its status");
        }
        ReferralStatus previous = referral.status();
        if (previous != report.status() && !previous.canMoveTo(report.status())) {
            throw new ConflictingState("invalid_transition", "Referral " + referralId + " is "
                    + previous.id() + "; it cannot become " + report.status().id());
        }
        exchange.setProperty(REFERRAL, referralId.toString());
        exchange.setProperty(INCIDENT, referral.incidentId().toString());
        exchange.setProperty(REPORTER, referral.origin());
        exchange.setProperty(PRIORITY, Referral.jmsPriority(referral.priority()));
        exchange.setProperty(PREVIOUS, previous.name());
        exchange.setProperty(OR_MOVED_BY_HUB, movedByHub(previous, report.status()).name());
        exchange.setProperty(STATUS, report.status().name());
        exchange.setProperty(STATUS_ID, report.status().id());
        exchange.setProperty(CASE_ID, report.caseId());
        exchange.setProperty(REASON, report.reason());
        exchange.setProperty(AT, Timestamp.from(clock.instant()));
        exchange.setProperty(UNCHANGED, previous == report.status());
    }

    /**
     * The status the hub itself may move the referral to between this report's check and its update: delivered, when
     * the report found it routed and may move on from delivered too. A recipient that reports the moment it has the
     * referral meets the sink recording the delivery; that is not a conflict. Otherwise the status it was checked
     * against.
     */
    static ReferralStatus movedByHub(ReferralStatus previous, ReferralStatus reported) {
        return previous == ReferralStatus.ROUTED && ReferralStatus.DELIVERED.canMoveTo(reported)
                ? ReferralStatus.DELIVERED : previous;
    }

    /** The referral's status moved meanwhile (another report of its recipient): 409, send it again. */
    public void changedMeanwhile(Exchange exchange) {
        throw new ConflictingState("concurrent_update", "Referral " + exchange.getProperty(REFERRAL)
                + " changed while this report was handled; send it again");
    }

    /** Stops the clocks the new status stops (the 12-hour intervention once accepted, ...). */
    public void stopClocks(Exchange exchange) {
        exchange.setProperty(STOPPED, clocks.stop(UUID.fromString(exchange.getProperty(REFERRAL, String.class)),
                status(exchange, STATUS)));
    }

    /** The report in the incident's journey, with the clocks it stopped and whether its reporter hears of it. */
    @SuppressWarnings("unchecked")
    public void recorded(Exchange exchange) {
        List<String> stopped = exchange.getProperty(STOPPED, List.of(), List.class);
        String reporter = exchange.getProperty(REPORTER, String.class);
        String status = exchange.getProperty(STATUS_ID, String.class);
        String detail = (stopped.isEmpty() ? "" : "stopped " + String.join(",", stopped) + "; ")
                + (reporterHears(exchange) ? "sent to " : "not sent: no sink for ") + reporter;
        String partner = exchange.getProperty(HubHeaders.PARTNER, String.class);
        journey.record(exchange.getProperty(INCIDENT, String.class), exchange.getProperty(REFERRAL, String.class), partner,
                Journey.Step.STATUS_REPORTED, null, status, detail);
    }

    /** Whether the partner that reported the incident has a sink to hear of the report on. */
    public boolean reporterHears(Exchange exchange) {
        return outbox.canReach(exchange.getProperty(REPORTER, String.class));
    }

    /** The body's input for the reporter's update (kind referral-status, with the recipient's reason). */
    public ObjectNode forReporter(Exchange exchange) {
        return update(exchange, "referral-status");
    }

    /**
     * The body's input for the supervisor when a recipient declines (kind referral-declined: someone else must take
     * the child's case; the mapping leaves the reason out), and who the supervisor is ({@value #SUPERVISOR}).
     */
    public ObjectNode forSupervisor(Exchange exchange) {
        // the partner that hears of every decline (config/clocks.yaml, escalateTo)
        exchange.setProperty(SUPERVISOR, policy.escalateTo());
        return update(exchange, "referral-declined");
    }

    /** The recipient's answer: the referral, its status before, and the outcome (the new status, or unchanged). */
    public String answer(Exchange exchange) {
        String outcome = exchange.getProperty(UNCHANGED, false, Boolean.class) ? "unchanged"
                : exchange.getProperty(STATUS_ID, String.class);
        return json.createObjectNode().put("referralId", exchange.getProperty(REFERRAL, String.class))
                .put("previousStatus", status(exchange, PREVIOUS).id()).put("outcome", outcome).toString();
    }

    private ObjectNode update(Exchange exchange, String kind) {
        return json.createObjectNode()
                .put("kind", kind)
                .put("referralId", exchange.getProperty(REFERRAL, String.class))
                .put("incidentId", exchange.getProperty(INCIDENT, String.class))
                .put("recipient", exchange.getProperty(HubHeaders.PARTNER, String.class))
                .put("status", exchange.getProperty(STATUS_ID, String.class))
                .put("previousStatus", status(exchange, PREVIOUS).id())
                .put("recipientCaseId", exchange.getProperty(CASE_ID, String.class))
                .put("reason", exchange.getProperty(REASON, String.class))
                .put("reportedAt", exchange.getProperty(AT, Timestamp.class).toInstant().toString());
    }

    private static ReferralStatus status(Exchange exchange, String property) {
        return ReferralStatus.valueOf(exchange.getProperty(property, String.class));
    }

    private static UUID parse(String referralId) {
        try {
            return UUID.fromString(referralId);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UnknownRecord("unknown_referral", "A referral id is a UUID");
        }
    }
}

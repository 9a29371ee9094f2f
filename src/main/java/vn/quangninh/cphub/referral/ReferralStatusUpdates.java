package vn.quangninh.cphub.referral;

import vn.quangninh.cphub.model.ReferralStatus;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.clock.ClockPolicy;
import vn.quangninh.cphub.clock.ReferralClocks;
import vn.quangninh.cphub.mapping.HubMappings;
import vn.quangninh.cphub.outbox.PartnerOutbox;
import vn.quangninh.cphub.model.Referral;
import vn.quangninh.cphub.store.Journey;
import vn.quangninh.cphub.model.ConflictingState;
import vn.quangninh.cphub.model.NotPermitted;
import vn.quangninh.cphub.model.UnknownRecord;

/**
 * A recipient's report on its referral. Only the recipient may report; the move must be allowed
 * ({@link ReferralStatus#canMoveTo}); repeating the current status is harmless. In one store transaction:
 * the new status, its history, the clocks it stops, and — put on the broker before the commit — the
 * update for the partner that reported the incident (and, for a decline, for the supervisor). If the
 * broker cannot take them, nothing is recorded and the recipient gets 503 and retries. The updates' bodies
 * are routes/mappings/referral-status.jsonata. The steps stay here, not in the route as sql: steps: the store
 * transaction must hold the broker sends (a route's {@code transacted} block would commit it when the route's
 * error handling answers the sender, unless every handler marked it for rollback).
 */
@Component("referralStatusUpdates")
public class ReferralStatusUpdates {

    private static final Logger LOG = LoggerFactory.getLogger(ReferralStatusUpdates.class);
    private static final String MAPPING = "referral-status";

    private final ReferralBook referrals;
    private final ReferralClocks clocks;
    private final ClockPolicy policy;
    private final PartnerOutbox outbox;
    private final Journey journey;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final Clock clock;
    private final HubMappings mappings;

    public ReferralStatusUpdates(ReferralBook referrals, ReferralClocks clocks, ClockPolicy policy, PartnerOutbox outbox,
                                 Journey journey, JdbcTemplate jdbc, TransactionTemplate transaction, ObjectMapper json,
                                 Clock clock, HubMappings mappings) {
        this.referrals = referrals;
        this.clocks = clocks;
        this.policy = policy;
        this.outbox = outbox;
        this.journey = journey;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.json = json;
        this.clock = clock;
        this.mappings = mappings;
    }

    /** @return the answer for the recipient */
    public String report(@Header("referralId") String referralIdText, @ExchangeProperty(HubHeaders.PARTNER) String partner,
                         @Body StatusReport report) {
        UUID referralId = parse(referralIdText);
        ReferralBook.Entry referral = referrals.find(referralId)
                .orElseThrow(() -> new UnknownRecord("unknown_referral", "No referral " + referralId));
        if (!referral.partner().equals(partner)) {
            throw new NotPermitted("not_the_recipient",
                    "Only the recipient of referral " + referralId + " may report its status");
        }
        ReferralStatus previous = referral.status();
        if (previous == report.status()) {
            return answer(referral, previous, "unchanged");
        }
        if (!previous.canMoveTo(report.status())) {
            throw new ConflictingState("invalid_transition", "Referral " + referralId + " is "
                    + previous.id() + "; it cannot become " + report.status().id());
        }
        transaction.executeWithoutResult(tx -> apply(referral, previous, report, partner));
        LOG.info("Referral {} (incident {}) is now {} as reported by {}", referralId, referral.incidentId(),
                report.status().id(), partner);
        return answer(referral, previous, report.status().id());
    }

    private void apply(ReferralBook.Entry referral, ReferralStatus previous, StatusReport report, String partner) {
        if (!referrals.move(referral.referralId(), previous, report.status(), report.caseId())) {
            throw new ConflictingState("concurrent_update", "Referral " + referral.referralId()
                    + " changed while this report was handled; send it again");
        }
        jdbc.update("insert into referral_status_update (referral_id, status, partner_case_id, reason, reported_by, recorded_at)"
                        + " values (?, ?, ?, ?, ?, ?)", referral.referralId().toString(), report.status().name(),
                report.caseId(), report.reason(), partner, Timestamp.from(clock.instant()));
        List<String> stopped = clocks.stop(referral.referralId(), report.status());
        boolean reporterReachable = outbox.canReach(referral.origin());
        String detail = (stopped.isEmpty() ? "" : "stopped " + String.join(",", stopped) + "; ")
                + (reporterReachable ? "sent to " : "not sent: no sink for ") + referral.origin();
        journey.record(referral.incidentId().toString(), referral.referralId().toString(), partner,
                Journey.Step.STATUS_REPORTED, null, report.status().id(), detail);
        String duplicateId = referral.referralId() + "/status/" + report.status().id();
        // the bodies: routes/mappings/referral-status.jsonata
        ObjectNode update = json.createObjectNode()
                .put("kind", "referral-status")
                .put("referralId", referral.referralId().toString())
                .put("incidentId", referral.incidentId().toString())
                .put("recipient", partner)
                .put("status", report.status().id())
                .put("previousStatus", previous.id())
                .put("recipientCaseId", report.caseId())
                .put("reason", report.reason())
                .put("reportedAt", clock.instant().toString());
        if (reporterReachable) {
            outbox.send(referral.origin(), "referral-status", mappings.apply(MAPPING, update), referral.incidentId().toString(),
                    referral.referralId().toString(), duplicateId, Referral.jmsPriority(referral.priority()));
        }
        if (report.status() == ReferralStatus.DECLINED) {
            // someone else must take the child's case: the supervisor hears at once (ids and statuses: the
            // recipient's free-text reason goes only to the reporter, who already knows the case)
            outbox.send(policy.escalateTo(), "referral-declined", mappings.apply(MAPPING, update.put("kind", "referral-declined")),
                    referral.incidentId().toString(),
                    referral.referralId().toString(), duplicateId + "/supervisor", 9);
        }
    }

    private String answer(ReferralBook.Entry referral, ReferralStatus previous, String outcome) {
        return json.createObjectNode().put("referralId", referral.referralId().toString()).put("previousStatus", previous.id())
                .put("outcome", outcome).toString();
    }

    private static UUID parse(String referralId) {
        try {
            return UUID.fromString(referralId);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UnknownRecord("unknown_referral", "A referral id is a UUID");
        }
    }
}

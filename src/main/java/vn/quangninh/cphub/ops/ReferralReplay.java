package vn.quangninh.cphub.ops;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.delivery.DeliveredContent;
import vn.quangninh.cphub.outbox.Lane;
import vn.quangninh.cphub.referral.ReferralBook;
import vn.quangninh.cphub.model.Referral;
import vn.quangninh.cphub.store.Journey;
import vn.quangninh.cphub.store.Journey.Step;

/**
 * A delivered referral sent to its partner again, exactly as it was delivered ({@link DeliveredContent}) and with
 * the same Idempotency-Key, so a partner that has it already recognises it: on its partner's delivery queue, in
 * the lane of its priority, delivered, retried and dead-lettered like any referral. For an operator or admin,
 * with a reason; recorded ({@link OperatorActions}, action {@code REPLAY}) and in the referral's journey
 * ({@code REPLAYED}) before it is sent. Looking at the content is an admin's, recorded as {@code VIEW_CONTENT}.
 */
@Component
public class ReferralReplay {

    private static final Logger LOG = LoggerFactory.getLogger(ReferralReplay.class);

    /** What a replay did. */
    public record Outcome(long actionId, String referralId, String partner, String queue) {
    }

    private final DeliveredContent content;
    private final ReferralBook referrals;
    private final OperatorActions actions;
    private final Journey journey;
    private final ProducerTemplate producer;
    private final TransactionTemplate store;

    public ReferralReplay(DeliveredContent content, ReferralBook referrals, OperatorActions actions, Journey journey,
                          ProducerTemplate producer, PlatformTransactionManager storeTransactionManager) {
        this.content = content;
        this.referrals = referrals;
        this.actions = actions;
        this.journey = journey;
        this.producer = producer;
        this.store = new TransactionTemplate(storeTransactionManager);
    }

    public Outcome replay(String referralId, String user, String reason) {
        ReferralBook.Entry referral = referral(referralId);
        String envelope = delivered(referral);
        Lane lane = referral.priority() == 1 ? Lane.URGENT : Lane.ROUTINE;
        String queue = lane.queue(referral.partner());
        long actionId = store.execute(tx -> {
            long id = actions.record(user, "REPLAY", referral.partner(), "referral " + referralId, reason, "sent to " + queue);
            journey.record(referral.incidentId().toString(), referralId, referral.partner(), Step.REPLAYED, null, null, user);
            return id;
        });
        try {
            producer.sendBodyAndHeaders("jms:queue:" + queue + "?preserveMessageQos=true", envelope, Map.of(
                    HubHeaders.INCIDENT_ID, referral.incidentId().toString(),
                    HubHeaders.REFERRAL_ID, referralId,
                    HubHeaders.PARTNER, referral.partner(),
                    HubHeaders.MESSAGE_KIND, "referral",
                    HubHeaders.DELIVERY_KEY, referralId,
                    "JMSPriority", Referral.jmsPriority(referral.priority()),
                    // the first delivery's id is in the broker's duplicate cache: this send is another
                    HubHeaders.ARTEMIS_DUPLICATE_ID, "replay-" + actionId + "-" + referralId));
        } catch (RuntimeException e) {
            LOG.error("REPLAY by {} of referral {} recorded (operator action {}) but the broker did not take it: {}", user,
                    referralId, actionId, e.getClass().getSimpleName());
            throw new OpsException(503, "recorded as operator action " + actionId
                    + ", but the broker did not take the message; try again");
        }
        LOG.info("REPLAY by {}: referral {} sent to {} again ({}), operator action {}", user, referralId,
                referral.partner(), queue, actionId);
        return new Outcome(actionId, referralId, referral.partner(), queue);
    }

    /** What the partner was delivered, for an admin, with a reason; the view is recorded. */
    public String content(String referralId, String user, String reason) {
        ReferralBook.Entry referral = referral(referralId);
        String envelope = delivered(referral);
        long id = actions.record(user, "VIEW_CONTENT", referral.partner(), "referral " + referralId + " (delivered)",
                reason, "shown");
        LOG.info("VIEW_CONTENT by {}: delivered referral {} of {}, operator action {}", user, referralId,
                referral.partner(), id);
        return envelope;
    }

    private ReferralBook.Entry referral(String referralId) {
        Optional<ReferralBook.Entry> found;
        try {
            found = referrals.find(UUID.fromString(referralId));
        } catch (IllegalArgumentException notAnId) {
            throw new OpsException(400, "'" + referralId + "' is not a referral id");
        }
        return found.orElseThrow(() -> new OpsException(404, "no referral " + referralId));
    }

    private String delivered(ReferralBook.Entry referral) {
        return content.find(referral.referralId().toString()).orElseThrow(() -> new OpsException(404,
                "referral " + referral.referralId() + " has no delivered content: not delivered yet (see its"
                        + " dead-letter queue), or delivered longer ago than the retention and closed"));
    }
}

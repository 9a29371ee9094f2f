package vn.quangninh.cphub.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.broker.BrokerManagement;
import vn.quangninh.cphub.outbox.Lane;
import vn.quangninh.cphub.partner.PartnerRegistry;
import vn.quangninh.cphub.store.Journey;
import vn.quangninh.cphub.store.Journey.Step;

/**
 * A partner's dead-letter queue ({@code cphub.dlq.<partner>}) as operators work with it: each message by its
 * ids, failure and attempts (never its content); retry one or all (back to {@code cphub.deliver.<partner>},
 * delivered with the same Idempotency-Key), move one to the partner's emergency lane, or discard one. Every action needs a reason and is recorded with
 * the operator's name ({@link OperatorActions}) and in the journey of each referral it touched.
 */
@Component
public class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    /** A dead-lettered message as operators see it. */
    public record DeadLetter(long messageId, String referralId, String incidentId, String kind, Integer failureStatus,
                             String failureReason, Integer attempts, Instant deadLetteredAt, int priority) {
    }

    /** What an action did. */
    public record Outcome(long actionId, String action, String partner, List<String> referralIds, int count) {
    }

    private final BrokerManagement broker;
    private final PartnerRegistry partners;
    private final OperatorActions actions;
    private final Journey journey;
    private final TransactionTemplate store;

    public DeadLetters(BrokerManagement broker, PartnerRegistry partners, OperatorActions actions, Journey journey,
                       PlatformTransactionManager storeTransactionManager) {
        this.broker = broker;
        this.partners = partners;
        this.actions = actions;
        this.journey = journey;
        this.store = new TransactionTemplate(storeTransactionManager);
    }

    public static String queueOf(String partner) {
        return "cphub.dlq." + partner;
    }

    public List<DeadLetter> of(String partner) {
        requirePartner(partner);
        List<DeadLetter> letters = new ArrayList<>();
        for (Map<String, Object> message : broker.messages(queueOf(partner), "")) {
            letters.add(new DeadLetter(number(message.get("messageID")), text(message.get(HubHeaders.REFERRAL_ID)),
                    text(message.get(HubHeaders.INCIDENT_ID)), text(message.get(HubHeaders.MESSAGE_KIND)),
                    integer(message.get(HubHeaders.FAILURE_STATUS)), text(message.get(HubHeaders.FAILURE_REASON)),
                    integer(message.get(HubHeaders.ATTEMPTS)),
                    message.get("timestamp") == null ? null : Instant.ofEpochMilli(number(message.get("timestamp"))),
                    message.get("priority") == null ? 4 : (int) number(message.get("priority"))));
        }
        return letters;
    }

    /**
     * Puts one message, or every message ({@code messageId} null; one recorded action per page the broker
     * lists), back on the partner's delivery queue. Each
     * referral's journey step is written before its message moves, in the store transaction that records the
     * action, so the journey reads RETRIED before the DELIVERED of the new attempt (its row id comes first even
     * when the delivery commits first).
     */
    public Outcome retry(String partner, Long messageId, String user, String reason) {
        if (messageId != null) {
            List<DeadLetter> one = choose(partner, messageId);
            return store.execute(tx -> act("RETRY", Step.RETRIED, partner, one, user, reason,
                    letter -> broker.retry(queueOf(partner), letter.messageId())));
        }
        // the broker lists at most a page of a queue (its management-browse-page-size, 200 by default): page after
        // page, each message once, until the queue has nothing left that was not already tried
        java.util.Set<Long> tried = new java.util.HashSet<>();
        List<Outcome> pages = new ArrayList<>();
        for (List<DeadLetter> page = of(partner); ; page = of(partner)) {
            List<DeadLetter> untried = page.stream().filter(l -> tried.add(l.messageId())).toList();
            if (untried.isEmpty()) {
                break;
            }
            pages.add(store.execute(tx -> act("RETRY_ALL", Step.RETRIED, partner, untried, user, reason,
                    letter -> broker.retry(queueOf(partner), letter.messageId()))));
        }
        if (pages.isEmpty()) {
            long id = actions.record(user, "RETRY_ALL", partner, queueOf(partner) + " (empty)", reason, "0 message(s)");
            return new Outcome(id, "RETRY_ALL", partner, List.of(), 0);
        }
        return new Outcome(pages.get(0).actionId(), "RETRY_ALL", partner,
                pages.stream().flatMap(o -> o.referralIds().stream()).toList(), pages.stream().mapToInt(Outcome::count).sum());
    }

    /**
     * What a dead-lettered message says — the referral as its partner was to receive it, already redacted by
     * the partner's profile — for an admin, with a reason; the view is recorded like every action (VIEW_CONTENT)
     * and logged by ids only. Empty when the message left the queue meanwhile.
     */
    public java.util.Optional<String> content(String partner, long messageId, String user, String reason) {
        DeadLetter letter = choose(partner, messageId).get(0);
        java.util.Optional<String> body = letter.referralId() == null ? java.util.Optional.empty()
                : broker.body(queueOf(partner), HubHeaders.REFERRAL_ID + " = '" + letter.referralId().replace("'", "''") + "'");
        long id = actions.record(user, "VIEW_CONTENT", partner, queueOf(partner) + " message " + messageId + " referral "
                + letter.referralId(), reason, body.isPresent() ? "shown" : "no longer in the queue");
        LOG.info("VIEW_CONTENT by {}: referral {} in {}, operator action {}", user, letter.referralId(), queueOf(partner), id);
        return body;
    }

    /**
     * Moves one message to its partner's emergency lane ({@code cphub.deliver.<partner>.urgent}): a retry ahead of
     * every routine referral of that partner, for a dead letter that turns out to be urgent. Only ever to the same
     * partner: the message is redacted for it, so moving it to another partner's queue would disclose it to a
     * recipient the routing rules did not choose.
     */
    public Outcome moveToEmergencyLane(String partner, long messageId, String user, String reason) {
        List<DeadLetter> one = choose(partner, messageId);
        String urgent = Lane.URGENT.queue(partner);
        return store.execute(tx -> act("MOVE_TO_EMERGENCY_LANE", Step.RETRIED, partner, one, user, reason,
                letter -> broker.move(queueOf(partner), letter.messageId(), urgent)));
    }

    /** Removes one message for good (admins only: SecurityConfiguration). */
    public Outcome discard(String partner, long messageId, String user, String reason) {
        List<DeadLetter> chosen = choose(partner, messageId);
        return store.execute(tx -> act("DISCARD", Step.DISCARDED, partner, chosen, user, reason,
                letter -> broker.remove(queueOf(partner), letter.messageId())));
    }

    /**
     * Journey step, then the broker's action, for each message; then the action's record with what came of it.
     * A single message the broker no longer has (another operator was quicker) is a 404 and the transaction's
     * journey step is undone; in a retry of all, such a message is skipped (its step stays: the journey is
     * append-only within the transaction too) and the record counts only what moved.
     */
    private Outcome act(String action, Step step, String partner, List<DeadLetter> chosen, String user, String reason,
                        java.util.function.Predicate<DeadLetter> brokerAction) {
        List<DeadLetter> done = new ArrayList<>();
        for (DeadLetter letter : chosen) {
            if (letter.incidentId() != null) {
                journey.record(letter.incidentId(), letter.referralId(), partner, step, letter.attempts(), action, "by " + user);
            }
            if (brokerAction.test(letter)) {
                done.add(letter);
            } else if (chosen.size() == 1) {
                throw new OpsException(404, "message " + letter.messageId() + " is no longer in " + queueOf(partner));
            }
        }
        List<String> referrals = done.stream().map(DeadLetter::referralId).toList();
        String target = queueOf(partner) + " messages " + done.stream().map(l -> String.valueOf(l.messageId())).toList()
                + " referrals " + referrals;
        long id = actions.record(user, action, partner, target, reason, done.size() + " of " + chosen.size() + " message(s)");
        LOG.info("{} by {}: {} message(s) of {} (referrals {}), operator action {}", action, user, done.size(),
                queueOf(partner), referrals, id);
        return new Outcome(id, action, partner, referrals, done.size());
    }

    private List<DeadLetter> choose(String partner, Long messageId) {
        List<DeadLetter> all = of(partner);
        if (messageId == null) {
            return all;
        }
        List<DeadLetter> one = all.stream().filter(l -> l.messageId() == messageId).toList();
        if (one.isEmpty()) {
            throw new OpsException(404, "message " + messageId + " is not in " + queueOf(partner)
                    + " (retried, discarded or never there)");
        }
        return one;
    }

    private void requirePartner(String partner) {
        if (!partners.exists(partner)) {
            throw new OpsException(404, "no partner " + partner + " in config/partners.yaml");
        }
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static Integer integer(Object value) {
        return value == null ? null : (int) number(value);
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
    }
}

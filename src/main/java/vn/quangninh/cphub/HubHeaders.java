package vn.quangninh.cphub;

/**
 * Names of the message headers and exchange properties the flows share. Headers travel with a message
 * through the broker; none of them ever holds a child's data (ids, partner ids, statuses, reasons).
 */
public final class HubHeaders {

    // --- on every hub message ---
    public static final String INCIDENT_ID = "cphubIncidentId";
    /** The sending partner (exchange property during intake) or the receiving partner (on a referral). */
    public static final String PARTNER = "cphubPartner";

    /**
     * What a message on a delivery queue is: {@code referral} (an incident for the recipient),
     * {@code referral-status} (for the partner that reported the incident) or {@code clock-escalation}
     * (for the supervisor).
     */
    public static final String MESSAGE_KIND = "cphubMessageKind";

    // --- intake: partner API → cphub.intake ---
    public static final String SOURCE_SYSTEM = "cphubSourceSystem";
    /** "source system/source event id": what triage deduplicates on. */
    public static final String DEDUPE_KEY = "cphubDedupeKey";
    public static final String PRIORITY = "cphubPriority";
    /** When the hub received the incident (epoch milliseconds): its journey's RECEIVED step. */
    public static final String RECEIVED_AT = "cphubReceivedAt";
    /** true on an incident an operator has triaged again (ops.IncidentRetriage): only recipients it has not had. */
    public static final String RETRIAGE = "cphubRetriage";
    /** The SIP Call-ID of a hotline call (call events, and the ticket that names the call). */
    public static final String CALL_ID = "cphubCallId";
    /** Exchange property: the raw request bytes, kept for cphub.invalid when the request is refused. */
    public static final String RAW_BODY = "cphubRawBody";
    /** Exchange property: true when {@link #RAW_BODY} holds only the first part of an oversize body. */
    public static final String RAW_BODY_TRUNCATED = "cphubRawBodyTruncated";

    // --- referrals: triage → cphub.deliver.<partner> → sink ---
    public static final String REFERRAL_ID = "cphubReferralId";
    /**
     * The key a partner deduplicates on (its Idempotency-Key): the referral id for a referral, a key of
     * the update or escalation for the hub's other messages.
     */
    public static final String DELIVERY_KEY = "cphubDeliveryKey";
    /** Artemis duplicate detection: the referral id. */
    public static final String ARTEMIS_DUPLICATE_ID = "_AMQ_DUPL_ID";
    /** Exchange property: the delivery attempt ({@link #ATTEMPTS_SPENT} + JMSXDeliveryCount). */
    public static final String ATTEMPT = "cphubAttempt";
    /** Exchange property: true when the referral goes to its partner's DLQ instead of being retried. */
    public static final String DEAD_LETTER = "cphubDeadLetter";
    /**
     * On a referral put back in its queue after a failed probe of its partner's circuit: the attempts it had spent
     * before (a probe spends none). The attempt is this plus the message's JMSXDeliveryCount.
     */
    public static final String ATTEMPTS_SPENT = "cphubAttemptsSpent";
    /** Exchange property: the queue a failed probe's referral goes back to, untried as far as its attempts go. */
    public static final String BACK_TO_QUEUE = "cphubBackToQueue";

    /** Exchange property in triage: the incidents linked to this one (incident.IncidentLinker). */
    public static final String LINKS = "cphubLinks";

    // --- on a dead-lettered referral, for operators ---
    public static final String FAILURE_STATUS = "cphubFailureStatus";
    public static final String FAILURE_REASON = "cphubFailureReason";
    public static final String ATTEMPTS = "cphubAttempts";

    private HubHeaders() {
    }
}

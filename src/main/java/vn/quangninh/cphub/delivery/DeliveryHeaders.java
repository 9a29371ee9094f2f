package vn.quangninh.cphub.delivery;

/** Exchange properties and DLQ headers of the sink connectors. */
public final class DeliveryHeaders {

    public static final String INCIDENT_ID = "cphubIncidentId";
    public static final String REFERRAL_ID = "cphubReferralId";
    public static final String PARTNER = "cphubPartner";
    public static final String ATTEMPT = "cphubAttempt";
    /** Exchange property: the partner's answer to the last attempt (first 500 characters). */
    public static final String PARTNER_ANSWER = "cphubPartnerAnswer";
    /** Exchange property: true when the referral goes to its partner's DLQ instead of being retried. */
    public static final String DEAD_LETTER = "cphubDeadLetter";

    /** DLQ headers an operator reads. */
    public static final String FAILURE_STATUS = "cphubFailureStatus";
    public static final String FAILURE_REASON = "cphubFailureReason";
    public static final String ATTEMPTS = "cphubAttempts";

    private DeliveryHeaders() {
    }
}

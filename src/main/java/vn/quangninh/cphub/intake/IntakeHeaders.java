package vn.quangninh.cphub.intake;

/** Names of the exchange properties and message headers the intake and triage flows share. */
public final class IntakeHeaders {

    /** Exchange property: the authenticated partner id. */
    public static final String PARTNER = "cphubPartner";
    /** Exchange property: the raw request bytes, kept for cphub.invalid when the request is rejected. */
    public static final String RAW_BODY = "cphubRawBody";
    /** Exchange property: true when {@link #RAW_BODY} holds only the first part of an oversize body. */
    public static final String RAW_BODY_TRUNCATED = "cphubRawBodyTruncated";

    public static final String INCIDENT_ID = "cphubIncidentId";
    public static final String SOURCE_SYSTEM = "cphubSourceSystem";
    public static final String DEDUPE_KEY = "cphubDedupeKey";
    public static final String PRIORITY = "cphubPriority";

    private IntakeHeaders() {
    }
}

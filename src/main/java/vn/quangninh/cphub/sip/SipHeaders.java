package vn.quangninh.cphub.sip;

/** Exchange headers of the sip: consumer. None of them is sent on to partners. */
public final class SipHeaders {

    public static final String METHOD = "CamelSipMethod";
    /**
     * The step of an observed call this exchange is about (absent for MESSAGE and NOTIFY): {@link #OFFERED},
     * {@link #ANSWERED}, {@link #CANCELLED} or {@link #ENDED}.
     */
    public static final String DIALOG_EVENT = "CamelSipDialogEvent";
    /** An INVITE came in. */
    public static final String OFFERED = "offered";
    /** The hub is about to answer the INVITE with 200. */
    public static final String ANSWERED = "answered";
    /** A CANCEL came before the answer. */
    public static final String CANCELLED = "cancelled";
    /** A BYE came. */
    public static final String ENDED = "ended";
    public static final String CALL_ID = "CamelSipCallId";
    public static final String CSEQ = "CamelSipCSeq";
    public static final String CONTENT_TYPE = "CamelSipContentType";
    public static final String FROM = "CamelSipFrom";
    public static final String TO = "CamelSipTo";
    public static final String REQUEST_URI = "CamelSipRequestUri";
    public static final String P_ASSERTED_IDENTITY = "CamelSipPAssertedIdentity";
    public static final String PRIVACY = "CamelSipPrivacy";
    /** The IP address the request came from. */
    public static final String PEER = "CamelSipPeer";
    /** Set by the route to choose the response; 200 when absent and the exchange succeeded, 500 when it failed. */
    public static final String RESPONSE_CODE = "CamelSipResponseCode";
    /** Optional reason phrase of the response. */
    public static final String RESPONSE_REASON = "CamelSipResponseReason";

    private SipHeaders() {
    }
}

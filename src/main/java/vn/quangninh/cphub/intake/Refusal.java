package vn.quangninh.cphub.intake;

/**
 * Why the hub refuses a sender's message, in no transport's terms. Each edge answers it in its own: an HTTP
 * status ({@link IntakeResponses}, hospital.FhirResponses), a SIP status (hotline.SipAnswers), an HL7 AR
 * (hospital.Hl7Acknowledgements); an MQTT message is only kept.
 */
public enum Refusal {
    /** The message cannot be read: not JSON, XML or HL7, a part or a field it cannot be read without missing. */
    MALFORMED,
    /** No credentials, or wrong ones: a password, a signature. */
    UNAUTHENTICATED,
    /** A sender the hub knows that may not send this (another partner's source), or one it does not know by its address or path. */
    NOT_PERMITTED,
    /** Larger than the hub takes. */
    TOO_LARGE,
    /** A media type, message type or version the hub does not read. */
    UNSUPPORTED,
    /** Readable, but it does not fit: a schema, a rule of the canonical incident. */
    INVALID,
    /** Over its rate, or locked out after failed sign-ins: to send again later. */
    RATE_LIMITED
}

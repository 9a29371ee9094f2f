package vn.quangninh.cphub.model;

/**
 * A partner's request the hub will not carry out, in the domain's own terms: {@link UnknownRecord},
 * {@link NotPermitted} or {@link ConflictingState}. What the sender is answered (an HTTP status) is decided where the
 * request came in (routes/errors-http-intake.camel.yaml), not here. The message names ids, never a value of the
 * request's body (it is logged).
 */
public abstract class RequestRefused extends RuntimeException {

    private final String error;

    protected RequestRefused(String error, String message) {
        super(message);
        this.error = error;
    }

    /** A stable, machine-readable reason, e.g. {@code unknown_referral}. */
    public String error() {
        return error;
    }
}

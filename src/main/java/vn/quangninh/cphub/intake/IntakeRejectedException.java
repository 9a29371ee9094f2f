package vn.quangninh.cphub.intake;

import java.util.List;

/**
 * A partner's message the hub will not take, with the HTTP status and the reason the sender gets.
 * The message text never contains any value of the rejected body (it is logged).
 */
public class IntakeRejectedException extends RuntimeException {

    private final int status;
    private final String error;
    private final List<String> details;

    public IntakeRejectedException(int status, String error, String message) {
        this(status, error, message, List.of());
    }

    public IntakeRejectedException(int status, String error, String message, List<String> details) {
        super(message);
        this.status = status;
        this.error = error;
        this.details = List.copyOf(details);
    }

    public int status() {
        return status;
    }

    /** A stable, machine-readable reason, e.g. {@code schema_violation}. */
    public String error() {
        return error;
    }

    /** The failing fields, one line each; sent back to the sender, never logged. */
    public List<String> details() {
        return details;
    }
}

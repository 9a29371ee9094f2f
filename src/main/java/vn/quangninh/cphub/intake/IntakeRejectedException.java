package vn.quangninh.cphub.intake;

import java.util.List;

/**
 * A sender's message the hub will not take: why ({@link Refusal}, answered by each transport's edge in its own
 * terms), a stable error code and the reason the sender gets. The message text never contains any value of the
 * rejected body (it is logged).
 */
public class IntakeRejectedException extends RuntimeException {

    private final Refusal refusal;
    private final String error;
    private final List<String> details;
    private final String location;

    public IntakeRejectedException(Refusal refusal, String error, String message) {
        this(refusal, error, message, List.of());
    }

    public IntakeRejectedException(Refusal refusal, String error, String message, List<String> details) {
        this(refusal, error, message, details, null);
    }

    /**
     * @param location where in the sender's own message the failure is, in the sender's terms: an HL7 v2
     *                 location such as {@code MSH-10} or {@code PID(1)-5}, a FHIRPath such as
     *                 {@code Patient.birthDate}; null when it is the message as a whole
     */
    public IntakeRejectedException(Refusal refusal, String error, String message, List<String> details, String location) {
        super(message);
        this.refusal = refusal;
        this.error = error;
        this.details = List.copyOf(details);
        this.location = location;
    }

    /** Why, in no transport's terms. */
    public Refusal refusal() {
        return refusal;
    }

    /** A stable, machine-readable reason, e.g. {@code schema_violation}. */
    public String error() {
        return error;
    }

    /** Where in the sender's message the failure is (HL7 location, FHIRPath), or null. Names a field, never a value. */
    public String location() {
        return location;
    }

    /** The failing fields, one line each; sent back to the sender, never logged. */
    public List<String> details() {
        return details;
    }
}

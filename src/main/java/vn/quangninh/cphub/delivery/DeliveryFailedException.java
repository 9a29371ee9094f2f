package vn.quangninh.cphub.delivery;

/**
 * A partner did not take a referral. {@link #retryable()} says whether another attempt may succeed
 * (408, 429, 5xx) or not (other 4xx: the message itself is wrong for that partner).
 */
public class DeliveryFailedException extends RuntimeException {

    private final int status;
    private final boolean retryable;

    public DeliveryFailedException(int status, boolean retryable, String message) {
        super(message);
        this.status = status;
        this.retryable = retryable;
    }

    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }

    /** What a failed attempt met, in a word for operators: "HTTP 503" from a partner, else the exception's class. */
    public static String describe(Throwable failure) {
        return failure instanceof DeliveryFailedException refusal ? "HTTP " + refusal.status() : failure.getClass().getSimpleName();
    }
}

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
}

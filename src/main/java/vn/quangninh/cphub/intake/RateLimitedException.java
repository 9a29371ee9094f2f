package vn.quangninh.cphub.intake;

/**
 * 429: a sender over its rate (a camera in an event storm), or a client that failed its credentials too
 * often (security.CredentialBackoff). Answered with Retry-After, without being kept in cphub.invalid or
 * logged one by one: the storm is already an open episode, the lock-out is logged once when it starts, and
 * keeping each refusal would turn one flood into another. Counted in {@code cphub.intake.rate_limited}.
 */
public class RateLimitedException extends IntakeRejectedException {

    private final long retryAfterSeconds;

    public RateLimitedException(String message) {
        this("rate_limited", message, 60);
    }

    public RateLimitedException(String error, String message, long retryAfterSeconds) {
        super(Refusal.RATE_LIMITED, error, message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

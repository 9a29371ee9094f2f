package vn.quangninh.cphub.intake;

/**
 * 429: a sender over its rate (a camera in an event storm). Answered without being kept in cphub.invalid
 * or logged one by one: the storm is already an open episode, and keeping each refusal would turn one
 * storm into another. Counted in {@code cphub.intake.rate_limited}.
 */
public class RateLimitedException extends IntakeRejectedException {

    public RateLimitedException(String message) {
        super(429, "rate_limited", message);
    }
}

package vn.quangninh.cphub.delivery;

/**
 * A referral comes back for an attempt past the last one although no attempt failed: the earlier attempts
 * never finished, so something killed the hub (or its connection to the broker) while it was being delivered.
 * The sink gives up on it — to its partner's DLQ, with this reason — rather than let a message that kills
 * the hub loop for ever.
 */
public class UnfinishedAttemptsException extends RuntimeException {

    public UnfinishedAttemptsException(int attempt, int maxAttempts) {
        super("delivery " + attempt + " is past the last attempt (" + maxAttempts + ") and no earlier attempt finished: "
                + "the hub may have died while delivering it");
    }
}

package vn.quangninh.cphub.incident;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;

import org.apache.camel.Header;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;

/**
 * One copy of a source event at a time in triage. Triage skips a source event whose dedupe key is already
 * kept, but the key is written only after triage's JMS transaction has committed, so two copies in triage at
 * the same time — a re-post while the first is still being triaged by another consumer, or on the other lane
 * (a re-post with priority 1) — would both send referrals. The first copy claims the key in the same store
 * transaction as its referrals; another copy that finds a claim not its own fails with
 * {@link CopyInFlightException}, is rolled back, and comes back after the broker's redelivery delay, when the
 * first has committed and it is skipped as a duplicate. The claim is the JMS message's: the same message
 * redelivered (a failed commit, a killed hub) takes it again. A claim older than {@link #LEASE} is taken over,
 * so a copy whose first is gone for good (in a dead-letter queue, replayed under a new message id) is not held
 * back for ever.
 */
@Component("sourceEventClaims")
public class SourceEventClaims {

    static final Duration LEASE = Duration.ofMinutes(5);

    /** Another copy of the source event is in triage: roll back, and try again later. */
    public static class CopyInFlightException extends RuntimeException {
        public CopyInFlightException(String dedupeKey) {
            super("another copy of source event " + dedupeKey + " is in triage");
        }
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public SourceEventClaims(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Claims the source event for this JMS message, in the caller's store transaction. */
    public void claim(@Header(HubHeaders.DEDUPE_KEY) String dedupeKey, @Header("JMSMessageID") String messageId) {
        Timestamp now = Timestamp.from(clock.instant());
        Timestamp lapsed = Timestamp.from(clock.instant().minus(LEASE));
        int taken = jdbc.update("update source_event_claim set message_id = ?, claimed_at = ? where dedupe_key = ?"
                + " and (message_id = ? or claimed_at < ?)", messageId, now, dedupeKey, messageId, lapsed);
        if (taken == 1) {
            return;
        }
        // a concurrent insert of the same key fails on the primary key: that copy is rolled back too
        int inserted = jdbc.update("insert into source_event_claim (dedupe_key, message_id, claimed_at) select ?, ?, ?"
                + " where not exists (select 1 from source_event_claim where dedupe_key = ?)", dedupeKey, messageId, now, dedupeKey);
        if (inserted == 0) {
            throw new CopyInFlightException(dedupeKey);
        }
    }
}

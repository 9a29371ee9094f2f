package vn.quangninh.cphub.delivery;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.store.SealedBox;

/**
 * The content each partner was delivered — the referral envelope exactly as sent, already redacted by the
 * recipient's profile — kept so that operators can look at it and send it again ({@code ops.ReferralReplay}).
 * It is a store of children's data, so: sealed with AES-256-GCM (key {@code cphub.content.key}, a fresh IV per
 * referral, the referral id as associated data, so a row moved to another referral does not open), and deleted
 * {@code cphub.content.retention} after delivery once the referral is closed or declined (an open referral
 * keeps its content). The sweep logs counts only.
 */
@Component
public class DeliveredContent {

    /** Exchange property the sinks fill (DeliveryContext): the envelope as it leaves for the partner. */
    public static final String ENVELOPE = "cphubDeliveredEnvelope";

    private static final Logger LOG = LoggerFactory.getLogger(DeliveredContent.class);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final SealedBox box;
    private final Duration retention;

    public DeliveredContent(JdbcTemplate jdbc, Clock clock, @Value("${cphub.content.key}") String key,
                            @Value("${cphub.content.retention}") Duration retention) {
        this.box = new SealedBox(key, "cphub.content.key (CPHUB_CONTENT_KEY)");
        this.jdbc = jdbc;
        this.clock = clock;
        this.retention = retention;
    }

    /** Keeps what {@code partner} was delivered for {@code referralId}; the first delivery's copy stays. */
    public void keep(String referralId, String incidentId, String partner, String envelope) {
        if (referralId == null || envelope == null) {
            return;
        }
        jdbc.update("insert into delivered_content (referral_id, incident_id, partner_id, sealed, stored_at)"
                        + " select ?, ?, ?, ?, ? where not exists (select 1 from delivered_content where referral_id = ?)",
                referralId, incidentId, partner, seal(envelope, referralId), Timestamp.from(clock.instant()), referralId);
    }

    /** What was delivered for the referral, or empty (not delivered yet, or past its retention). */
    public Optional<String> find(String referralId) {
        return jdbc.queryForList("select sealed from delivered_content where referral_id = ?", String.class, referralId)
                .stream().findFirst().map(sealed -> open(sealed, referralId));
    }

    /** Deletes the content of referrals closed or declined and delivered longer ago than the retention. */
    @Scheduled(fixedDelayString = "${cphub.content.sweep-interval}")
    public int deleteExpired() {
        int deleted = jdbc.update("delete from delivered_content where stored_at < ? and referral_id in"
                        + " (select referral_id from referral where status in ('CLOSED', 'DECLINED'))",
                Timestamp.from(clock.instant().minus(retention)));
        if (deleted > 0) {
            LOG.info("Delivered content past retention deleted: {} referral(s)", deleted);
        }
        return deleted;
    }

    private String seal(String envelope, String referralId) {
        return Base64.getEncoder().encodeToString(box.seal(envelope.getBytes(StandardCharsets.UTF_8), referralId));
    }

    private String open(String sealed, String referralId) {
        try {
            return new String(box.open(Base64.getDecoder().decode(sealed), referralId), StandardCharsets.UTF_8);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the delivered content of referral " + referralId
                    + " does not open with cphub.content.key (another key, or altered)", e);
        }
    }
}

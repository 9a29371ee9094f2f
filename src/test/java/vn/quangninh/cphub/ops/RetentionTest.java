package vn.quangninh.cphub.ops;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.cctv.CameraEventKeyRetention;
import vn.quangninh.cphub.delivery.DeliveredContent;
import vn.quangninh.cphub.hotline.CallerNumberRetention;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.incident.IncidentContent;
import vn.quangninh.cphub.model.Referral;
import vn.quangninh.cphub.store.Journey.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the hub keeps of children's data for operators is kept for the retention (30 days) and no longer: a
 * delivered referral's content once the referral is closed (an open one keeps it), the incident once none of its
 * referrals is open, a caller's number.
 */
class RetentionTest extends HubTestSupport {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DeliveredContent content;
    @Autowired
    CallerNumberRetention callerNumbers;
    @Autowired
    IncidentContent incidents;
    @Autowired
    CameraEventKeyRetention cameraEventKeys;

    @Test
    void deliveredContentGoesAfterTheRetentionOnlyOnceItsReferralIsClosed() throws Exception {
        String eventId = newEventId();
        String incidentId = Incident.idFor(HOTLINE, eventId).toString();
        String referralId = Referral.idFor(Incident.idFor(HOTLINE, eventId), "police").toString();
        assertThat(postIncident(incident(eventId)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> steps(incidentId, "police").contains(Step.DELIVERED)
                && content.find(referralId).isPresent());
        Timestamp longAgo = Timestamp.from(CLOCK.instant().minus(Duration.ofDays(31)));
        jdbc.update("update delivered_content set stored_at = ? where referral_id = ?", longAgo, referralId);

        content.deleteExpired();
        assertThat(content.find(referralId)).as("the referral is still open: its content stays").isPresent();

        jdbc.update("update referral set status = 'CLOSED' where referral_id = ?", referralId);
        assertThat(content.deleteExpired()).isGreaterThanOrEqualTo(1);
        assertThat(content.find(referralId)).isEmpty();

        // the incident itself (for a re-triage): kept while any referral of it is open
        assertThat(incidents.find(incidentId)).hasValueSatisfying(json -> assertThat(json).contains(eventId));
        jdbc.update("update incident_content set stored_at = ? where incident_id = ?", longAgo, incidentId);
        incidents.deleteExpired();
        assertThat(incidents.find(incidentId)).as("its social-affairs referral is open").isPresent();
        jdbc.update("update referral set status = 'DECLINED' where incident_id = ?", incidentId);
        incidents.deleteExpired();
        assertThat(incidents.find(incidentId)).isEmpty();
    }

    @Test
    void aCallersNumberIsForgottenAfterTheRetentionAndTheCallStays() {
        String old = "retention-old-" + System.nanoTime();
        String recent = "retention-new-" + System.nanoTime();
        Instant now = CLOCK.instant();
        jdbc.update("insert into call_record (call_id, line, caller_number, caller_withheld, updated_at) values (?, '111', ?, false, ?)",
                old, "0900000999", Timestamp.from(now.minus(Duration.ofDays(31))));
        jdbc.update("insert into call_record (call_id, line, caller_number, caller_withheld, updated_at) values (?, '111', ?, false, ?)",
                recent, "0900000998", Timestamp.from(now.minus(Duration.ofDays(1))));

        assertThat(callerNumbers.forgetOldNumbers()).isGreaterThanOrEqualTo(1);

        assertThat(jdbc.queryForList("select caller_number from call_record where call_id = ?", String.class, old))
                .containsExactly((String) null);
        assertThat(jdbc.queryForObject("select caller_number from call_record where call_id = ?", String.class, recent))
                .isEqualTo("0900000998");
    }

    @Test
    void aCameraEventsKeyIsForgottenAfterItsRetentionAndATriagedEventsKeyStays() {
        // Camel's repository stamps keys with the system clock (not the test's movable one)
        String suffix = String.valueOf(System.nanoTime());
        Instant now = Instant.now();
        String insert = "insert into camel_messageprocessed (processorname, messageid, createdat) values (?, ?, ?)";
        jdbc.update(insert, "camera-events", "old-camera-event-" + suffix, Timestamp.from(now.minus(Duration.ofDays(8))));
        jdbc.update(insert, "camera-events", "recent-camera-event-" + suffix, Timestamp.from(now.minus(Duration.ofDays(6))));
        jdbc.update(insert, "triage", "old-triaged-event-" + suffix, Timestamp.from(now.minus(Duration.ofDays(400))));

        assertThat(cameraEventKeys.forgetOldKeys()).isGreaterThanOrEqualTo(1);

        assertThat(jdbc.queryForList("select messageid from camel_messageprocessed where messageid like ?", String.class, "%-" + suffix))
                .containsExactlyInAnyOrder("recent-camera-event-" + suffix, "old-triaged-event-" + suffix);
    }
}

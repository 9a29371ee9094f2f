package vn.quangninh.cphub.triage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.activemq.artemis.core.server.Queue;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.store.Journey.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Referrals keep the intake's JMS message group (their source event's dedupe key) on the partners' queues, where
 * the sinks' consumers live as long as the hub. Without group buckets the broker kept one group per referral ever
 * delivered, and a backlog of 1,000,000 ran a 512 MB heap out after 720,000 deliveries (bench/RESULTS.md, "A
 * backlog of 1,000,000 on PostgreSQL"). With 1,024 buckets a queue never holds more than 1,024 groups. (Dropping
 * the group in triage instead broke the sinks' attempt count: IncidentDeliveryTest saw a referral come back as
 * delivery 5 of 4.)
 */
class ReferralMessageGroupTest extends HubTestSupport {

    private static final int BUCKETS = 1024;

    @Test
    void thePartnersQueuesHashTheirMessageGroupsIntoBuckets() throws Exception {
        List<String> incidentIds = new ArrayList<>();
        for (int priority : new int[] {3, 3, 2, 1}) {
            String eventId = newEventId();
            ObjectNode incident = incident(eventId);
            incident.put("priority", priority);
            assertThat(postIncident(incident).statusCode()).isEqualTo(202);
            incidentIds.add(Incident.idFor(HOTLINE, eventId).toString());
        }
        for (String incidentId : incidentIds) {
            await().atMost(Duration.ofSeconds(60)).until(() -> steps(incidentId, "police").contains(Step.DELIVERED));
        }

        for (String queue : List.of("cphub.deliver.police", "cphub.deliver.police.urgent", "cphub.deliver.social-affairs")) {
            Queue q = broker.getActiveMQServer().locateQueue(queue);
            assertThat(q.getGroupBuckets()).as("group buckets of %s", queue).isEqualTo(BUCKETS);
            assertThat(q.getGroupCount()).as("groups held by %s", queue).isLessThanOrEqualTo(BUCKETS);
        }
        // the intake queues group nothing: their consumers live as long as the hub, and a group held by a busy one
        // stopped the broker delivering to the others (TriageConsumersTest)
        for (String queue : List.of("cphub.intake", "cphub.intake.urgent")) {
            Queue q = broker.getActiveMQServer().locateQueue(queue);
            assertThat(q.getGroupBuckets()).as("group buckets of %s", queue).isZero();
            assertThat(q.getGroupCount()).as("groups held by %s", queue).isZero();
        }
    }
}

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
 * The intake's JMS message group (a source event's dedupe key, so that its copies meet one triage consumer) stays
 * behind in triage. Carried onto the referrals, it bound each to one of the sinks' long-lived consumers on the
 * partner's queue: the broker kept an entry per referral ever delivered, and a backlog of 1,000,000 ran a 512 MB
 * heap out after 720,000 deliveries (bench/RESULTS.md, "A backlog of 1,000,000 on PostgreSQL").
 */
class ReferralMessageGroupTest extends HubTestSupport {

    @Test
    void referralsOnThePartnersQueuesBelongToNoMessageGroup() throws Exception {
        long routineGroups = groups("cphub.deliver.police");
        long urgentGroups = groups("cphub.deliver.police.urgent");
        long socialAffairsGroups = groups("cphub.deliver.social-affairs");

        List<String> incidentIds = new ArrayList<>();
        for (int priority : new int[] {3, 3, 3, 2, 1}) {
            String eventId = newEventId();
            ObjectNode incident = incident(eventId);
            incident.put("priority", priority);
            assertThat(postIncident(incident).statusCode()).isEqualTo(202);
            incidentIds.add(Incident.idFor(HOTLINE, eventId).toString());
        }
        for (String incidentId : incidentIds) {
            await().atMost(Duration.ofSeconds(60)).until(() -> steps(incidentId, "police").contains(Step.DELIVERED));
        }

        assertThat(groups("cphub.deliver.police")).as("message groups on police's routine queue").isEqualTo(routineGroups);
        assertThat(groups("cphub.deliver.police.urgent")).as("message groups on police's emergency lane").isEqualTo(urgentGroups);
        assertThat(groups("cphub.deliver.social-affairs")).as("message groups on social affairs' queue").isEqualTo(socialAffairsGroups);
    }

    private long groups(String queue) {
        Queue q = broker.getActiveMQServer().locateQueue(queue);
        return q == null ? 0 : q.getGroupCount();
    }
}

package vn.quangninh.cphub.triage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.activemq.artemis.core.server.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.store.Journey.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Triage's consumers live as long as their threads ({@code broker.IntakeTransactions}): with a
 * {@code JmsTransactionManager}, Spring opened a consumer on the broker for every message and closed it after
 * the commit — two round trips and a consumer set up and torn down by the broker per incident (#13). (So the
 * intake queues do not group messages: a group stays with its first consumer, and one held by a busy consumer
 * stopped the broker delivering to the others; {@link vn.quangninh.cphub.delivery.SlowPartnerTest}.) That the
 * referrals still leave in the incident's transaction, and the dedupe key is written only after its commit, is
 * {@link TriageRedeliveryTest}'s.
 */
class TriageConsumersTest extends HubTestSupport {

    @Value("${cphub.triage.consumers}")
    int consumers;

    @Test
    void theSameConsumersTakeIncidentAfterIncident() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> consumerIds().size() == consumers);
        Set<Long> before = consumerIds();

        List<String> incidentIds = new ArrayList<>();
        for (int i = 0; i < 3 * consumers; i++) {
            String eventId = newEventId();
            assertThat(postIncident(incident(eventId)).statusCode()).isEqualTo(202);
            incidentIds.add(Incident.idFor(HOTLINE, eventId).toString());
        }
        for (String incidentId : incidentIds) {
            await().atMost(Duration.ofSeconds(60)).until(() -> steps(incidentId).contains(Step.ROUTED));
        }

        assertThat(consumerIds()).as("cphub.intake's consumers after %d incidents", incidentIds.size()).isEqualTo(before);
    }

    private Set<Long> consumerIds() {
        Set<Long> ids = new TreeSet<>();
        for (Consumer consumer : broker.getActiveMQServer().locateQueue("cphub.intake").getConsumers()) {
            ids.add(consumer.sequentialID());
        }
        return ids;
    }
}

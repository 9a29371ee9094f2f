package vn.quangninh.cphub.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.store.Journey.Step;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A slow partner gets as many deliveries at once as its sink has consumers (cphub.delivery.consumers, 8), whatever
 * the referrals' source events. Until #13 the referrals carried their source event as a JMS message group, the
 * sinks' consumers live as long as the hub, and a group stays with the consumer that took its first message: the
 * broker then delivered a group's referrals one after another to that one consumer, and stopped delivering to
 * every consumer while the message at the queue's head belonged to a busy one. The 8 source events here are
 * chosen so that their groups would have fallen into one of the broker's group buckets: grouped, police would
 * have had them one at a time, 2 s apart.
 */
class SlowPartnerTest extends HubTestSupport {

    private static final int REFERRALS = 8;
    private static final int POLICE_ANSWERS_AFTER_MS = 2000;
    /** The group buckets the partners' queues had (and the dedupe key the group was). */
    private static final int OLD_GROUP_BUCKETS = 1024;

    @Test
    void aSlowPartnerGetsADeliveryFromEveryConsumerAtOnce() throws Exception {
        // a referral delivered first: a circuit an earlier test left half-open (one probe at a time) is closed again
        String first = newEventId();
        assertThat(postIncident(incident(first)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> policeRequestsForEvent(first).size() == 1);

        List<String> eventIds = eventIdsInOneOldGroupBucket(REFERRALS);
        // slow for these referrals only: one an earlier test left behind is answered at once, and holds no consumer
        POLICE.stubFor(post(urlEqualTo("/intake")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.incident.source.eventId", matching(String.join("|", eventIds))))
                .willReturn(aResponse().withStatus(201).withFixedDelay(POLICE_ANSWERS_AFTER_MS)));
        List<String> incidentIds = new ArrayList<>();
        for (String eventId : eventIds) {
            assertThat(postIncident(incident(eventId)).statusCode()).isEqualTo(202);
            incidentIds.add(Incident.idFor(HOTLINE, eventId).toString());
        }
        for (String incidentId : incidentIds) {
            await().atMost(Duration.ofSeconds(60)).until(() -> steps(incidentId, "police").contains(Step.DELIVERED));
        }

        List<LoggedRequest> requests = eventIds.stream().map(HubTestSupport::policeRequestsForEvent)
                .peek(r -> assertThat(r).as("police's requests for one referral").hasSize(1))
                .map(r -> r.get(0)).sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
        long spread = requests.get(REFERRALS - 1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
        assertThat(spread).as("ms from police's first request of the %d to its last; it answers each after %d ms",
                REFERRALS, POLICE_ANSWERS_AFTER_MS).isLessThan(POLICE_ANSWERS_AFTER_MS * 3 / 4);

        // no queue of incidents or referrals groups its messages (0 buckets), and none holds a group
        List<String> queues = List.of("cphub.intake", "cphub.intake.urgent", "cphub.deliver.police",
                "cphub.deliver.police.urgent", "cphub.deliver.social-affairs");
        for (String name : queues) {
            Queue queue = broker.getActiveMQServer().locateQueue(name);
            assertThat(queue.getGroupBuckets()).as("group buckets of %s", name).isZero();
            assertThat(queue.getGroupCount()).as("groups held by %s", name).isZero();
        }
    }

    /** Source events whose old message groups (their dedupe keys) the broker hashed into one bucket. */
    private static List<String> eventIdsInOneOldGroupBucket(int count) {
        List<String> chosen = new ArrayList<>();
        int bucket = -1;
        while (chosen.size() < count) {
            String eventId = newEventId();
            int b = (SimpleString.of(HOTLINE + "/" + eventId).hashCode() & Integer.MAX_VALUE) % OLD_GROUP_BUCKETS;
            if (bucket < 0) {
                bucket = b;
            }
            if (b == bucket) {
                chosen.add(eventId);
            }
        }
        return chosen;
    }
}

package vn.quangninh.cphub.triage;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.store.Journey.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several triage consumers per lane, and two lanes: copies of one source event posted at the same moment —
 * re-posts on the routine lane, and one with priority 1 on the emergency lane — must still have one effect.
 * The intake queues do not group messages, so copies meet in triage on either lane: the first copy's claim in
 * the store ({@code SourceEventClaims}) sends the others back to the broker until the first has committed.
 */
class ConcurrentRepostTest extends HubTestSupport {

    private static final int EVENTS = 12;
    private static final int ROUTINE_COPIES = 3;

    @Test
    void copiesOfOneSourceEventPostedTogetherOnBothLanesAreDeliveredOnce() throws Exception {
        List<String> eventIds = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(16);
        try {
            for (int i = 0; i < EVENTS; i++) {
                String eventId = newEventId();
                eventIds.add(eventId);
                for (int copy = 0; copy <= ROUTINE_COPIES; copy++) {
                    ObjectNode incident = incident(eventId);
                    incident.put("priority", copy == ROUTINE_COPIES ? 1 : 3);
                    posts.add(CompletableFuture.supplyAsync(() -> post(incident), senders));
                }
            }
            for (CompletableFuture<HttpResponse<String>> post : posts) {
                assertThat(post.get().statusCode()).as("every copy is accepted").isEqualTo(202);
            }
        } finally {
            senders.shutdownNow();
        }

        for (String eventId : eventIds) {
            String incidentId = Incident.idFor(HOTLINE, eventId).toString();
            await().atMost(Duration.ofSeconds(60)).until(() -> steps(incidentId, "police").contains(Step.DELIVERED));
            // a copy that met the first in triage comes back after the broker's redelivery delay (5 s) and is
            // skipped: every copy but one is in the journey as a duplicate
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    steps(incidentId).stream().filter(Step.DUPLICATE::equals).count() == ROUTINE_COPIES);
        }
        // and nothing more arrives: one police referral per source event, held over longer than a redelivery delay
        await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String eventId : eventIds) {
                assertThat(policeRequestsForEvent(eventId)).as("police requests for %s", eventId).hasSize(1);
            }
        });
    }

    private HttpResponse<String> post(ObjectNode incident) {
        try {
            return new PartnerClient(port).post(incident.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package vn.quangninh.cphub.triage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import vn.quangninh.cphub.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The emergency lane, as the benchmark's smoke (bench/throughput.sh measures it at scale): a backlog of routine
 * incidents waits in cphub.intake (routine triage stopped, as a hub that has fallen behind), and police's
 * routine queue waits too (its delivery stopped, as after an outage). A priority-1 incident posted then reaches
 * police through the emergency lane at every hop — intake, triage, police's queue — before the backlog moves;
 * then the backlog drains and every routine incident is delivered as well.
 */
class EmergencyLaneTest extends HubTestSupport {

    private static final int BACKLOG = 150;

    @Autowired
    CamelContext camel;

    @Test
    void aPriorityOneIncidentOvertakesARoutineBacklogAtEveryHopAndTheBacklogIsDeliveredAfter() throws Exception {
        List<String> routine = new ArrayList<>();
        camel.getRouteController().stopRoute("triage");
        camel.getRouteController().stopRoute("deliver-police");
        try {
            // a few routine incidents triaged already, so police's routine queue has a backlog too
            camel.getRouteController().startRoute("triage");
            for (int i = 0; i < 10; i++) {
                routine.add(postRoutine());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> messageCount("cphub.deliver.police") >= 10);
            camel.getRouteController().stopRoute("triage");
            for (int i = 0; i < BACKLOG; i++) {
                routine.add(postRoutine());
            }
            assertThat(messageCount("cphub.intake")).as("the routine backlog waits in intake").isGreaterThanOrEqualTo(BACKLOG);
            String lastKey = HOTLINE + "/" + routine.get(routine.size() - 1);
            String group = jms.browseSelected("cphub.intake", "cphubDedupeKey = '" + lastKey + "'",
                    (session, browser) -> {
                        var waiting = browser.getEnumeration();
                        return waiting.hasMoreElements()
                                ? String.valueOf(((jakarta.jms.Message) waiting.nextElement()).getStringProperty("JMSXGroupID"))
                                : "no such message waiting";
                    });
            assertThat(group).as("an incident's message group (a group held by a busy consumer stalls the others)").isEqualTo("null");

            String emergency = newEventId();
            ObjectNode incident = incident(emergency);
            incident.put("priority", 1);
            assertThat(postIncident(incident).statusCode()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(15)).until(() -> policeRequestsForEvent(emergency).size() == 1);
            assertThat(routine.stream().mapToInt(e -> policeRequestsForEvent(e).size()).sum())
                    .as("no routine incident reached police before the emergency").isZero();
            assertThat(messageCount("cphub.intake")).as("the backlog still waits").isGreaterThanOrEqualTo(BACKLOG);
        } finally {
            camel.getRouteController().startRoute("triage");
            camel.getRouteController().startRoute("deliver-police");
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> policeRequestsPerEvent().keySet().containsAll(routine));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Map<String, Long> perEvent = policeRequestsPerEvent();
            for (String eventId : routine) {
                assertThat(perEvent.get(eventId)).as("delivered once: %s", eventId).isEqualTo(1L);
            }
        });
    }
}

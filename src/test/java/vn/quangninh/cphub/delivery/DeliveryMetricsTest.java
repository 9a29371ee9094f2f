package vn.quangninh.cphub.delivery;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.model.Referral;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deliveries per partner and lane by outcome, the accept→delivered latency, each partner lane's circuit, and
 * every cphub queue's depth and consumers, in the hub's meter registry (what /actuator/prometheus shows; PartnerOutageIT reads that page of
 * the packaged hub). Police refuses the first attempt (503), then takes it.
 */
class DeliveryMetricsTest extends HubTestSupport {

    @Autowired
    MeterRegistry meters;

    @Test
    void deliveriesByOutcomeLatencyAndQueues() throws Exception {
        double delivered = deliveries("delivered");
        double failed = deliveries("failed");
        long latencies = latencies();

        POLICE.stubFor(post(urlEqualTo("/intake")).atPriority(1).inScenario("police busy once").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("back"));
        String eventId = newEventId();
        var incident = incident(eventId);
        incident.put("priority", 3);
        assertThat(postIncident(incident).statusCode()).isEqualTo(202);
        String referralId = Referral.idFor(Incident.idFor(HOTLINE, eventId), "police").toString();
        await().atMost(Duration.ofSeconds(60)).until(() -> policeRequestsWithKey(referralId).size() >= 2);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(deliveries("failed")).as("the refused attempt").isEqualTo(failed + 1);
            assertThat(deliveries("delivered")).as("then the delivery").isEqualTo(delivered + 1);
            assertThat(latencies()).isEqualTo(latencies + 1);
            assertThat(meters.find("cphub.queue.messages").tag("queue", "cphub.deliver.police").gauge())
                    .as("the queues, read every few seconds").isNotNull();
            assertThat(meters.find("cphub.queue.consumers").tag("queue", "cphub.intake").gauge().value())
                    .as("triage's consumers").isPositive();
            assertThat(meters.get("cphub.partner.circuit").tags("partner", "police", "lane", "routine").gauge().value())
                    .as("police's circuit closed again after one failure").isZero();
        });
        assertThat(meters.getMeters()).as("tags are configuration ids, never an incident's")
                .allSatisfy(meter -> assertThat(meter.getId().getTags().toString()).doesNotContain(referralId)
                        .doesNotContain(Incident.idFor(HOTLINE, eventId).toString()));
    }

    private double deliveries(String outcome) {
        Counter counter = meters.find("cphub.deliveries")
                .tags("partner", "police", "lane", "routine", "outcome", outcome, "kind", "referral").counter();
        return counter == null ? 0 : counter.count();
    }

    private long latencies() {
        Timer timer = meters.find("cphub.delivery.latency").tags("partner", "police", "lane", "routine").timer();
        return timer == null ? 0 : timer.count();
    }
}

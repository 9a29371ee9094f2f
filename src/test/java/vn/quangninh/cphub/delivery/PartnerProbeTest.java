package vn.quangninh.cphub.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.utils.collections.LinkedListIterator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.model.Referral;
import vn.quangninh.cphub.store.Journey;
import vn.quangninh.cphub.store.Journey.Step;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Police down for longer than a referral's attempts last: the referral tried as the circuit's probe, again and
 * again (it is the only one waiting), spends no attempt on a failed probe, so it waits in its queue, not in the
 * DLQ, and reaches police once police is back. Before, each probe spent an attempt: with the test hub's 4 attempts
 * the first probe was its last, and the referral went to cphub.dlq.police while police was still down.
 * (IncidentDeliveryTest had a test expecting just that, "police down for every attempt ends in the DLQ after the
 * last attempt"; it now waits instead, as here.)
 */
class PartnerProbeTest extends HubTestSupport {

    /** cphub.delivery.max-attempts of the test hub (HubTestSupport). */
    private static final int MAX_ATTEMPTS = 4;

    @Autowired
    private DeliveryFailure deliveryFailure;
    @Autowired
    private CamelContext camel;

    /**
     * What a failed attempt leads to, by attempt, kind of failure and whether it was the circuit's probe. The last
     * attempt made while the circuit is closed still ends in the DLQ (the shared test hub's circuit opens after 3
     * failures in 1 s, before a referral's 4th attempt, so a partner down for good reaches it only by probes).
     */
    @Test
    void aFailedProbeGoesBackUntriedAndOnlyAnAttemptMadeWhileClosedCanBeTheLast() {
        Exception down = new DeliveryFailedException(503, true, "HTTP 503");
        Exception refused = new DeliveryFailedException(400, false, "HTTP 400");
        Exception unfinished = new UnfinishedAttemptsException(MAX_ATTEMPTS + 1, MAX_ATTEMPTS);

        assertThat(decision(down, 2, false)).as("an attempt before the last fails").isEqualTo("rolled back");
        assertThat(decision(down, MAX_ATTEMPTS, false)).as("the last attempt fails").isEqualTo("dead letter");
        assertThat(decision(refused, 1, false)).as("a refusal").isEqualTo("dead letter");
        assertThat(decision(down, 2, true)).as("a probe fails").isEqualTo("back untried");
        assertThat(decision(down, MAX_ATTEMPTS, true)).as("a probe fails at the last attempt").isEqualTo("back untried");
        assertThat(decision(refused, 1, true)).as("a probe is refused").isEqualTo("dead letter");
        assertThat(decision(unfinished, MAX_ATTEMPTS + 1, true)).as("a probe came back unfinished past its last attempt")
                .isEqualTo("dead letter");
    }

    @Test
    void aReferralTriedAsTheProbeOfADownPartnerSpendsNoAttemptAndIsDeliveredWhenItIsBack() throws Exception {
        // a referral delivered first: a circuit an earlier test left half-open (one probe at a time) is closed again
        String first = newEventId();
        assertThat(postIncident(incident(first)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> policeRequestsForEvent(first).size() == 1);

        StubMapping down = POLICE.stubFor(post(urlEqualTo("/intake")).atPriority(1).willReturn(aResponse().withStatus(503)));
        String eventId = newEventId();
        String incidentId = Incident.idFor(HOTLINE, eventId).toString();
        long dlqBefore = messagesAdded("cphub.dlq.police");
        assertThat(postIncident(incident(eventId)).statusCode()).isEqualTo(202);

        // three failed attempts open the circuit (1 s window); then one probe a second (half-open after 1 s)
        int tries = MAX_ATTEMPTS + 4;
        await().atMost(Duration.ofSeconds(60)).until(() -> policeRequestsForEvent(eventId).size() >= tries
                || steps(incidentId, "police").contains(Step.DEAD_LETTERED));
        assertThat(steps(incidentId, "police")).as("police still down after %d tries", tries)
                .doesNotContain(Step.DEAD_LETTERED, Step.DELIVERED);
        assertThat(messagesAdded("cphub.dlq.police")).as("referrals dead-lettered to police").isEqualTo(dlqBefore);

        // the referral waits as a copy put back by its last probe: its priority kept (the incident's 2: JMS 7, not
        // the default 4), the attempts it spent before the circuit opened carried with it
        String referralId = Referral.idFor(java.util.UUID.fromString(incidentId), "police").toString();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(waitingInPoliceQueue(referralId))
                .anySatisfy(m -> {
                    assertThat(m.getPriority()).as("JMS priority").isEqualTo((byte) Referral.jmsPriority(2));
                    assertThat(m.getIntProperty(HubHeaders.ATTEMPTS_SPENT)).as("attempts spent")
                            .isBetween(1, MAX_ATTEMPTS - 1);
                    assertThat(m.isDurable()).isTrue();
                }));

        POLICE.removeStub(down);
        await().atMost(Duration.ofSeconds(30)).until(() -> steps(incidentId, "police").contains(Step.DELIVERED));

        List<Journey.Entry> police = journey.ofIncident(incidentId).stream()
                .filter(e -> "police".equals(e.partnerId())).toList();
        assertThat(police).extracting(Journey.Entry::step).containsOnlyOnce(Step.DELIVERED).doesNotContain(Step.DEAD_LETTERED);
        List<Journey.Entry> attempts = police.stream().filter(e -> e.step() == Step.ATTEMPT).toList();
        assertThat(attempts).as("attempt numbers: the probes spent none")
                .allSatisfy(e -> assertThat(e.attempt()).isLessThanOrEqualTo(MAX_ATTEMPTS));
        List<Journey.Entry> failed = attempts.stream().filter(e -> "503".equals(e.outcome())).toList();
        assertThat(failed).as("failed attempts at police").hasSizeGreaterThanOrEqualTo(tries);
        assertThat(failed).filteredOn(e -> DeliveryFailure.PROBE_FAILED.equals(e.detail())).as("failed probes")
                .hasSizeGreaterThanOrEqualTo(tries - MAX_ATTEMPTS);
        // police's requests: the failed ones and one answered, and no second answered one in the 2 s after
        int failedCount = failed.size();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> policeRequestsForEvent(eventId).size() == failedCount + 1);
        assertThat(messagesAdded("cphub.dlq.police")).as("referrals dead-lettered to police").isEqualTo(dlqBefore);
    }

    /** The messages of one referral in police's queue, waiting or being delivered (held at the circuit's gate). */
    private List<org.apache.activemq.artemis.api.core.Message> waitingInPoliceQueue(String referralId) {
        Queue queue = broker.getActiveMQServer().locateQueue("cphub.deliver.police");
        List<MessageReference> references = new ArrayList<>();
        LinkedListIterator<MessageReference> waiting = queue.browserIterator();
        try {
            waiting.forEachRemaining(references::add);
        } finally {
            waiting.close();
        }
        queue.getDeliveringMessages().values().forEach(references::addAll);
        return references.stream().map(MessageReference::getMessage)
                .filter(m -> referralId.equals(String.valueOf(m.getObjectProperty(HubHeaders.REFERRAL_ID)))).toList();
    }

    private String decision(Exception failure, int attempt, boolean probe) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        exchange.setProperty(HubHeaders.ATTEMPT, attempt);
        if (probe) {
            exchange.setProperty(PartnerCircuit.PROBE, true);
        }
        if (!deliveryFailure.handled(exchange)) {
            return "rolled back";
        }
        assertThat(deliveryFailure.endsDelivery(exchange)).isNotEqualTo(deliveryFailure.goesBackUntried(exchange));
        return deliveryFailure.endsDelivery(exchange) ? "dead letter" : "back untried";
    }
}

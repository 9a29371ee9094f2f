package vn.quangninh.cphub.triage;

import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.model.Referral;
import vn.quangninh.cphub.outbox.EmergencyFirst;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While an emergency is under way — here at social affairs, which takes 8 s to answer it — a routine incident
 * posted then is accepted, and its triage and its delivery to police each wait before they start, for at most
 * cphub.emergency-first.max-pause (the hub's default, 250 ms), so the cores go to the emergency; it is still
 * delivered, once. With no emergency under way routine work never waits.
 */
class EmergencyFirstHubTest extends HubTestSupport {

    private static final int SOCIAL_AFFAIRS_ANSWERS_EMERGENCY_AFTER_MS = 8000;

    @Autowired
    EmergencyFirst emergencyFirst;

    @Value("${cphub.emergency-first.max-pause}")
    Duration maxPause;

    @Test
    void routineWorkWaitsWhileAnEmergencyIsUnderWayAndNotOtherwise() throws Exception {
        String before = postRoutine();
        await().atMost(Duration.ofSeconds(30)).until(() -> policeRequestsForEvent(before).size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !emergencyFirst.emergencyUnderWay());
        double pausedBefore = emergencyFirst.pausedSeconds();
        String quiet = postRoutine();
        await().atMost(Duration.ofSeconds(30)).until(() -> policeRequestsForEvent(quiet).size() == 1);
        assertThat(emergencyFirst.pausedSeconds()).as("routine work waited with no emergency under way").isEqualTo(pausedBefore);

        String emergency = newEventId();
        String emergencyAtSocialAffairs = Referral.idFor(Incident.idFor(HOTLINE, emergency), "social-affairs").toString();
        POLICE.stubFor(post(urlEqualTo(SOCIAL_AFFAIRS_PATH)).atPriority(1)
                .withHeader("Idempotency-Key", equalTo(emergencyAtSocialAffairs))
                .willReturn(aResponse().withStatus(200).withFixedDelay(SOCIAL_AFFAIRS_ANSWERS_EMERGENCY_AFTER_MS)));
        ObjectNode urgent = incident(emergency);
        urgent.put("priority", 1);
        assertThat(postIncident(urgent).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> socialAffairsRequests(emergencyAtSocialAffairs) == 1
                && policeRequestsForEvent(emergency).size() == 1);
        long socialAffairsAnswering = System.nanoTime();
        assertThat(emergencyFirst.emergencyUnderWay()).as("social affairs is answering the emergency").isTrue();

        long posted = System.nanoTime();
        String routine = postRoutine();
        await().atMost(Duration.ofSeconds(30)).until(() -> policeRequestsForEvent(routine).size() == 1);
        long reachedPolice = System.nanoTime();
        // still inside social affairs' answer to the emergency, or the lower bound below would not hold
        assertThat(Duration.ofNanos(reachedPolice - socialAffairsAnswering))
                .isLessThan(Duration.ofMillis(SOCIAL_AFFAIRS_ANSWERS_EMERGENCY_AFTER_MS));
        assertThat(Duration.ofNanos(reachedPolice - posted)).as("its triage, then its delivery, each waited the longest pause")
                .isGreaterThanOrEqualTo(maxPause.multipliedBy(2));
        assertThat(emergencyFirst.pausedSeconds() - pausedBefore).isGreaterThanOrEqualTo(maxPause.toMillis() * 2 / 1000.0);

        await().atMost(Duration.ofSeconds(30)).until(() -> steps(Incident.idFor(HOTLINE, emergency).toString(), "social-affairs")
                .contains(vn.quangninh.cphub.store.Journey.Step.DELIVERED));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(policeRequestsForEvent(routine)).as("the routine incident at police, once").hasSize(1);
            assertThat(socialAffairsRequests(emergencyAtSocialAffairs)).as("the emergency at social affairs, once").isEqualTo(1);
        });
    }

    private static int socialAffairsRequests(String referralId) {
        return POLICE.findAll(postRequestedFor(urlEqualTo(SOCIAL_AFFAIRS_PATH)).withHeader("Idempotency-Key", equalTo(referralId))).size();
    }
}

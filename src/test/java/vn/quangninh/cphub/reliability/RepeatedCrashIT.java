package vn.quangninh.cphub.reliability;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault 1 of the reliability suite: the packaged hub (journal and store on disk) is killed with kill -9
 * 3 times (longer: {@code -Dcphub.crash.rounds=20}) under the {@link LoadDriver}'s load and restarted each time on the same data.
 * Senders see errors while it is down (what they were not told was taken is theirs to resend); everything
 * the hub took must arrive — every incident at police, one distinct key each, a redelivery only with the
 * same body; every call event in the call records — and the figures are printed.
 */
class RepeatedCrashIT extends PackagedHubFault {

    private static final int ROUNDS = Integer.getInteger("cphub.crash.rounds", 3);
    private static final Duration LOAD_PER_ROUND = Duration.ofSeconds(6);

    @Test
    void everythingAcceptedArrivesThoughTheHubIsKilledAgainAndAgain() throws Exception {
        startHub("cphub-kills", aResponse().withStatus(200).withFixedDelay(20),
                Map.of("CPHUB_BROKER_REDELIVERY_DELAY", "200ms", "CPHUB_BROKER_MAX_REDELIVERY_DELAY", "2s"));

        LoadDriver load = new LoadDriver(hub, police);
        load.start();
        for (int round = 0; round < ROUNDS; round++) {
            Thread.sleep(LOAD_PER_ROUND.toMillis());
            hub.kill();
            Thread.sleep(1000); // senders meet a dead hub
            hub.start();
        }
        Thread.sleep(LOAD_PER_ROUND.toMillis());
        load.stop();

        LoadDriver.Figures figures = load.settle("kill -9 of the packaged hub x" + ROUNDS + " during load");
        figures.assertNothingLostNorDoubled();
        assertThat(load.refused("http")).as("senders met the dead hub").isPositive();
    }
}

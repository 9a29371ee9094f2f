package vn.quangninh.cphub.delivery;

import vn.quangninh.cphub.outbox.Lane;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sink with several consumers and a partner that is down: once the circuit has opened, each half-open lets
 * exactly one referral try the partner, and the others wait untried (Camel's policy alone resumes every consumer,
 * and each spends an attempt). When the partner is back, the waiting ones go, each once.
 */
class PartnerCircuitTest {

    private static final int CONSUMERS = 8;
    private static final int REFERRALS = 60;

    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void aHalfOpenCircuitLetsOneReferralThroughAtATime() throws Exception {
        PartnerCircuit circuit = new PartnerCircuit("police", Lane.ROUTINE, 3, 200, 300, null);
        AtomicBoolean partnerDown = new AtomicBoolean(true);
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from("seda:deliver?concurrentConsumers=" + CONSUMERS).routeId("deliver").routePolicy(circuit)
                        .process(exchange -> {
                            mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                            try {
                                attempts.incrementAndGet();
                                Thread.sleep(20); // the partner's answer takes a while
                                if (partnerDown.get()) {
                                    failed.incrementAndGet();
                                    throw new IllegalStateException("503");
                                }
                                delivered.incrementAndGet();
                            } finally {
                                inFlight.decrementAndGet();
                            }
                        });
            }
        });
        camel.start();
        ProducerTemplate producer = camel.createProducerTemplate();
        for (int i = 0; i < REFERRALS; i++) {
            producer.sendBody("seda:deliver", "referral " + i);
        }

        await().atMost(Duration.ofSeconds(5)).until(circuit::isOpen);
        assertThat(circuit.stateCode()).as("the gauge: open or, for a probe, half-open").isIn(1, 2);
        // (without the one-probe gate the same setting makes 16 attempts in the 2 s below: all consumers go)
        Thread.sleep(100); // the attempts under way when it opened end
        mostAtOnce.set(0);
        int beforeProbes = attempts.get();
        Thread.sleep(2_000); // about six half-opens of 300 ms, each with one probe that fails
        int probes = attempts.get() - beforeProbes;
        assertThat(probes).as("one attempt per half-open, not one per consumer").isBetween(1, 10);
        assertThat(mostAtOnce.get()).as("attempts at once while the circuit was open or half-open").isEqualTo(1);

        partnerDown.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.get() + failed.get() == REFERRALS);
        assertThat(attempts.get()).as("each waiting referral tried once when the partner was back").isEqualTo(REFERRALS);
        assertThat(circuit.getStateAsString()).isEqualTo("closed");
        assertThat(circuit.stateCode()).as("the gauge: closed").isZero();
    }
}

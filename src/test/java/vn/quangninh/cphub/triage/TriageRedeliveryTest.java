package vn.quangninh.cphub.triage;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.model.ToDynamicDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.SinkDeliveries;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.model.Referral;
import vn.quangninh.cphub.store.Journey.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Triage's dedupe key is stored only once triage has finished and its JMS transaction has committed
 * (idempotent consumer, eager: false, {@code AfterCommitIdempotentRepository}): a half-done attempt — a failure,
 * a killed hub (RepeatedCrashIT), a commit the broker did not take (ExternalBrokerIT) — leaves no key and is done
 * again when the broker hands the message back; a key means the referrals went out, so a message with a known
 * key is skipped — redelivered or not.
 */
class TriageRedeliveryTest extends HubTestSupport {

    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ConnectionFactory connectionFactory;

    /** Dedupe keys of incidents whose first triage commit is to fail, and of those whose every commit fails. */
    private static final Set<String> FAIL_FIRST_COMMIT = ConcurrentHashMap.newKeySet();
    private static final Set<String> FAIL_EVERY_COMMIT = ConcurrentHashMap.newKeySet();
    /** Dedupe keys of incidents whose first attempt fails on a referral (as the store failing mid-triage does). */
    private static final Set<String> FAIL_FIRST_REFERRAL = ConcurrentHashMap.newKeySet();
    private static boolean triageCanFail;

    @AfterEach
    void triageRunsAgain() throws Exception {
        camel.getRouteController().startRoute("triage");
    }

    @Test
    void anIncidentWhoseCommitFailsIsTriagedAgainAndDeliveredOnce() throws Exception {
        letTriageFail();
        String eventId = newEventId();
        FAIL_FIRST_COMMIT.add(HOTLINE + "/" + eventId);
        SinkDeliveries toPolice = toPolice(eventId);

        assertThat(postIncident(incident(eventId)).statusCode()).isEqualTo(202);

        String incidentId = Incident.idFor(HOTLINE, eventId).toString();
        await().atMost(Duration.ofSeconds(30)).until(() -> steps(incidentId, "police").contains(Step.DELIVERED));
        assertThat(FAIL_FIRST_COMMIT).as("the first commit failed").isEmpty();
        assertThat(steps(incidentId)).as("taken again, not skipped as a duplicate").doesNotContain(Step.DUPLICATE);
        assertThat(toPolice.firstWithin(Duration.ofSeconds(10))).isTrue();
        assertThat(toPolice.noSecondWithin(Duration.ofSeconds(1))).as("delivered once").isTrue();
        assertThat(policeRequestsForEvent(eventId)).as("delivered once").hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from camel_messageprocessed where processorname = 'triage' and messageid = ?",
                Long.class, HOTLINE + "/" + eventId)).isEqualTo(1);
    }

    /**
     * A poison incident (every commit fails): the broker gives up after its last attempt and keeps it in
     * cphub.dlq.broker — no endless loop — and none of the referrals triage sent on the way left the hub, since
     * they were in the transaction that never committed.
     */
    @Test
    void anIncidentWhoseEveryCommitFailsEndsInTheBrokersDlqAndNoReferralLeaves() throws Exception {
        letTriageFail();
        String eventId = newEventId();
        FAIL_EVERY_COMMIT.add(HOTLINE + "/" + eventId);
        try {
            assertThat(postIncident(incident(eventId)).statusCode()).isEqualTo(202);

            String incidentId = Incident.idFor(HOTLINE, eventId).toString();
            jms.setReceiveTimeout(60_000);
            Message dead = jms.receiveSelected("cphub.dlq.broker", "cphubIncidentId = '" + incidentId + "'");
            assertThat(dead).as("in the broker's DLQ after the last attempt").isNotNull();
            assertThat(policeRequestsForEvent(eventId)).as("no referral of an incident whose triage never committed").isEmpty();
            assertThat(jdbc.queryForObject("select count(*) from camel_messageprocessed where processorname = 'triage' and messageid = ?",
                    Long.class, HOTLINE + "/" + eventId)).isZero();
        } finally {
            FAIL_EVERY_COMMIT.remove(HOTLINE + "/" + eventId);
        }
    }

    /**
     * A referral that fails half-way through triage (StoreOutageIT lost an incident this way: the error handler
     * marked only that referral's part for rollback, the split went on, and the incident was committed without
     * its referrals): the whole incident is rolled back and delivered on the next attempt.
     */
    @Test
    void anIncidentWhoseReferralFailsMidTriageIsRolledBackWholeAndDeliveredOnTheNextAttempt() throws Exception {
        letTriageFail();
        String eventId = newEventId();
        FAIL_FIRST_REFERRAL.add(HOTLINE + "/" + eventId);
        SinkDeliveries toPolice = toPolice(eventId);

        assertThat(postIncident(incident(eventId)).statusCode()).isEqualTo(202);

        String incidentId = Incident.idFor(HOTLINE, eventId).toString();
        await().atMost(Duration.ofSeconds(30)).until(() -> steps(incidentId, "police").contains(Step.DELIVERED));
        assertThat(FAIL_FIRST_REFERRAL).as("the first attempt failed").isEmpty();
        assertThat(toPolice.firstWithin(Duration.ofSeconds(10))).isTrue();
        assertThat(toPolice.noSecondWithin(Duration.ofSeconds(1))).as("delivered once").isTrue();
        assertThat(policeRequestsForEvent(eventId)).hasSize(1);
    }

    /**
     * Inside triage's split, a referral fails once for the incidents in {@link #FAIL_FIRST_REFERRAL}; and the last
     * step of triage makes the JMS commit fail, once, for the incidents in {@link #FAIL_FIRST_COMMIT}
     * (as a broker killed or failed over between triage's work and its commit does), and every time for those
     * in {@link #FAIL_EVERY_COMMIT}; other incidents pass.
     */
    private void letTriageFail() throws Exception {
        if (triageCanFail) {
            return;
        }
        AdviceWith.adviceWith(camel, "triage", route -> route.weaveByType(ToDynamicDefinition.class).before().process(exchange -> {
            if (FAIL_FIRST_REFERRAL.remove(exchange.getMessage().getHeader("cphubDedupeKey", String.class))) {
                throw new IllegalStateException("test: the store failed on a referral");
            }
        }));
        AdviceWith.adviceWith(camel, "triage", route -> route.weaveAddLast().process(exchange -> {
            if (!TransactionSynchronizationManager.isSynchronizationActive()) {
                throw new AssertionError("triage is not in a Spring-managed JMS transaction");
            }
            String key = exchange.getMessage().getHeader("cphubDedupeKey", String.class);
            if (FAIL_FIRST_COMMIT.remove(key) || FAIL_EVERY_COMMIT.contains(key)) {
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void beforeCommit(boolean readOnly) {
                        throw new IllegalStateException("test: the broker did not take the commit");
                    }
                });
            }
        }));
        triageCanFail = true;
    }

    @Test
    void theKeyIsKeptOnlyOnceTriageHasFinishedSoARedeliveredMessageWithAKeyIsSkipped() throws Exception {
        // a key is written when triage completes (eager: false): after a normal incident, it is there
        String routed = newEventId();
        assertThat(postIncident(incident(routed)).statusCode()).isEqualTo(202);
        String routedId = Incident.idFor(HOTLINE, routed).toString();
        await().atMost(Duration.ofSeconds(15)).until(() -> steps(routedId).contains(Step.ROUTED));
        await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.queryForObject(
                "select count(*) from camel_messageprocessed where processorname = 'triage' and messageid = ?", Long.class,
                HOTLINE + "/" + routed) == 1);

        // so a key means the referrals went out: the message coming back — redelivered flag or not (after a
        // kill -9 the broker may not set it) — is skipped, not routed twice
        String eventId = newEventId();
        SinkDeliveries toPolice = toPolice(eventId);
        stopTriage();
        sendToIntake(eventId);
        rollBackOneDelivery();
        keyAlreadyTaken(eventId);
        camel.getRouteController().startRoute("triage");
        String incidentId = Incident.idFor(HOTLINE, eventId).toString();
        await().atMost(Duration.ofSeconds(15)).until(() -> steps(incidentId).contains(Step.DUPLICATE));
        assertThat(toPolice.firstWithin(Duration.ofSeconds(1))).as("skipped: nothing reaches police").isFalse();
        assertThat(policeRequestsForEvent(eventId)).isEmpty();
    }

    @Test
    void aNewMessageWhoseKeyIsAlreadyTakenIsSkipped() throws Exception {
        String eventId = newEventId();
        SinkDeliveries toPolice = toPolice(eventId);
        stopTriage();
        sendToIntake(eventId);
        keyAlreadyTaken(eventId);

        camel.getRouteController().startRoute("triage");

        String incidentId = Incident.idFor(HOTLINE, eventId).toString();
        await().atMost(Duration.ofSeconds(15)).until(() -> steps(incidentId).contains(Step.DUPLICATE));
        assertThat(toPolice.firstWithin(Duration.ofSeconds(1))).as("skipped: nothing reaches police").isFalse();
        assertThat(policeRequestsForEvent(eventId)).isEmpty();
    }

    /** The police sink's exchanges of the incident's referral, counted from now (Camel's events, not a sleep). */
    private SinkDeliveries toPolice(String eventId) {
        return SinkDeliveries.of(camel, "deliver-police", Referral.idFor(Incident.idFor(HOTLINE, eventId), "police").toString());
    }

    /**
     * Stops triage, and waits until its broker has had no consumer on cphub.intake for 3 s: Spring's listener
     * container gives up waiting for a busy listener thread after twice its receive timeout (1 s), so on a loaded
     * machine one can still take a message sent just after the stop (once in a full CI run, this test's own receive
     * then found nothing). A listener opens a consumer for each receive, so one left running shows within a second.
     * (Not by thread name: the other test contexts' triage threads have the same name.)
     */
    private void stopTriage() throws Exception {
        camel.getRouteController().stopRoute("triage");
        await().atMost(Duration.ofSeconds(30)).during(Duration.ofSeconds(3))
                .until(() -> broker.getActiveMQServer().locateQueue("cphub.intake").getConsumerCount() == 0);
    }

    /** What the partner API puts on cphub.intake. */
    private void sendToIntake(String eventId) {
        ObjectNode incident = incident(eventId);
        String incidentId = Incident.idFor(HOTLINE, eventId).toString();
        incident.put("incidentId", incidentId);
        incident.put("receivedAt", Instant.now().toString());
        jms.convertAndSend("cphub.intake", incident.toString(), m -> {
            m.setStringProperty("cphubIncidentId", incidentId);
            m.setStringProperty("cphubSourceSystem", HOTLINE);
            m.setStringProperty("cphubDedupeKey", HOTLINE + "/" + eventId);
            m.setIntProperty("cphubPriority", 2);
            return m;
        });
    }

    private void rollBackOneDelivery() throws Exception {
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue("cphub.intake"));
            Message m = consumer.receive(5_000);
            assertThat(m).isNotNull();
            session.rollback();
            consumer.close();
            session.close();
        }
    }

    private void keyAlreadyTaken(String eventId) {
        jdbc.update("insert into camel_messageprocessed (processorname, messageid, createdat) values (?, ?, ?)",
                "triage", HOTLINE + "/" + eventId, Timestamp.from(Instant.now()));
    }

}

package vn.quangninh.cphub.triage;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.store.Journey.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Triage's dedupe key is stored only once triage has finished (idempotent consumer, eager: false): a half-done
 * attempt leaves no key and is done again when the broker hands the message back (RepeatedCrashIT kills the hub
 * for that), and a key means the referrals went out, so a message with a known key is skipped — redelivered
 * or not.
 */
class TriageRedeliveryTest extends HubTestSupport {

    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ConnectionFactory connectionFactory;

    @AfterEach
    void triageRunsAgain() throws Exception {
        camel.getRouteController().startRoute("triage");
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
        camel.getRouteController().stopRoute("triage");
        sendToIntake(eventId);
        rollBackOneDelivery();
        keyAlreadyTaken(eventId);
        camel.getRouteController().startRoute("triage");
        String incidentId = Incident.idFor(HOTLINE, eventId).toString();
        await().atMost(Duration.ofSeconds(15)).until(() -> steps(incidentId).contains(Step.DUPLICATE));
        Thread.sleep(500);
        assertThat(policeRequestsForEvent(eventId)).isEmpty();
    }

    @Test
    void aNewMessageWhoseKeyIsAlreadyTakenIsSkipped() throws Exception {
        String eventId = newEventId();
        camel.getRouteController().stopRoute("triage");
        sendToIntake(eventId);
        keyAlreadyTaken(eventId);

        camel.getRouteController().startRoute("triage");

        String incidentId = Incident.idFor(HOTLINE, eventId).toString();
        await().atMost(Duration.ofSeconds(15)).until(() -> steps(incidentId).contains(Step.DUPLICATE));
        Thread.sleep(500);
        assertThat(policeRequestsForEvent(eventId)).isEmpty();
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

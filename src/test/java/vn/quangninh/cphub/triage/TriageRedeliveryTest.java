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
 * The crash window of triage: the source event's key is written to the store, then the hub dies before
 * the JMS transaction commits. The broker redelivers the same message; triage must route it, not skip it
 * as a duplicate. A new message with a key already taken is skipped.
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
    void aRedeliveredMessageWhoseKeyWasAlreadyWrittenIsStillRouted() throws Exception {
        String eventId = newEventId();
        camel.getRouteController().stopRoute("triage");
        sendToIntake(eventId);
        rollBackOneDelivery();             // the broker now counts a failed delivery: JMSRedelivered
        keyAlreadyTaken(eventId);          // ... after the store had kept the key

        camel.getRouteController().startRoute("triage");

        String incidentId = Incident.idFor(HOTLINE, eventId).toString();
        await().atMost(Duration.ofSeconds(15)).until(() -> steps(incidentId).contains(Step.DELIVERED));
        assertThat(steps(incidentId)).doesNotContain(Step.DUPLICATE);
        assertThat(policeRequestsForEvent(eventId)).hasSize(1);
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

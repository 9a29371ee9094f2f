package vn.quangninh.cphub.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.springframework.stereotype.Component;

/**
 * The broker's own queue operations — counts, the properties of the messages in a queue, retry from a
 * dead-letter queue, removal — asked as Artemis management messages ({@code activemq.management}) over the
 * hub's JMS connection. So they work the same on the embedded broker, an external one, or the live broker of
 * an HA pair (where an MBean of this JVM would not exist). An external broker's user needs the {@code manage}
 * permission (config/broker/broker.xml gives it to role amq). Reads a message body only in {@link #body}.
 */
@Component
public class BrokerManagement {

    private static final String MANAGEMENT_ADDRESS = "activemq.management";
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A queue at a glance. */
    public record QueueState(String name, long messages, long delivering, int consumers, long oldestMessageAgeSeconds) {
    }

    private final ConnectionFactory connections;

    public BrokerManagement(ConnectionFactory connections) {
        // a connection of its own, never the shared one the routes send and receive on (Spring's caching wrapper):
        // when the broker goes away, what closing the management session costs must not hold up the hub's intake,
        // which answers 503 at once (ExternalBrokerIT)
        this.connections = connections instanceof org.springframework.jms.connection.SingleConnectionFactory shared
                && shared.getTargetConnectionFactory() != null ? shared.getTargetConnectionFactory() : connections;
    }

    /** Every queue whose name starts with {@code prefix}, by name. */
    public List<QueueState> queues(String prefix) {
        List<QueueState> queues = new ArrayList<>();
        for (Object name : (Object[]) attribute(ResourceNames.BROKER, "queueNames")) {
            String queue = String.valueOf(name);
            if (queue.startsWith(prefix)) {
                queues.add(queue(queue));
            }
        }
        queues.sort(Comparator.comparing(QueueState::name));
        return queues;
    }

    public QueueState queue(String queue) {
        String resource = ResourceNames.QUEUE + queue;
        long messages = number(attribute(resource, "messageCount"));
        Object age = messages == 0 ? null : attribute(resource, "firstMessageAge");
        return new QueueState(queue, messages, number(attribute(resource, "deliveringCount")),
                (int) number(attribute(resource, "consumerCount")),
                age == null ? 0 : number(age) / 1000);
    }

    /** The messages of a queue as the broker describes them: headers and properties, no body. */
    public List<Map<String, Object>> messages(String queue, String filter) {
        Object answer = invoke(ResourceNames.QUEUE + queue, "listMessagesAsJSON", filter == null ? "" : filter);
        try {
            return JSON.readValue(String.valueOf(answer), new TypeReference<>() {
            });
        } catch (java.io.IOException e) {
            throw new BrokerManagementException("the broker's list of " + queue + " is not JSON", e);
        }
    }

    /**
     * The body of the first message of {@code queue} that matches a JMS {@code selector}, browsed (it stays in the
     * queue), as text. For the operations API's content view only (admins, recorded).
     */
    public java.util.Optional<String> body(String queue, String selector) {
        try (Connection connection = connections.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             jakarta.jms.QueueBrowser browser = session.createBrowser(session.createQueue(queue), selector)) {
            connection.start();
            java.util.Enumeration<?> messages = browser.getEnumeration();
            if (!messages.hasMoreElements()) {
                return java.util.Optional.empty();
            }
            Message message = (Message) messages.nextElement();
            if (message instanceof jakarta.jms.TextMessage text) {
                return java.util.Optional.ofNullable(text.getText());
            }
            if (message instanceof jakarta.jms.BytesMessage bytes) {
                byte[] content = new byte[(int) bytes.getBodyLength()];
                bytes.readBytes(content);
                return java.util.Optional.of(new String(content, java.nio.charset.StandardCharsets.UTF_8));
            }
            return java.util.Optional.ofNullable(message.getBody(String.class));
        } catch (jakarta.jms.JMSException e) {
            throw new BrokerManagementException("cannot browse " + queue + ": " + e.getMessage(), e);
        }
    }

    /** Puts one message of a dead-letter queue back on its original queue; false when it is not there. */
    public boolean retry(String queue, long messageId) {
        return Boolean.TRUE.equals(invoke(ResourceNames.QUEUE + queue, "retryMessage", messageId));
    }

    /** Puts every message of a dead-letter queue back on its original queue; how many. */
    public long retryAll(String queue) {
        return number(invoke(ResourceNames.QUEUE + queue, "retryMessages"));
    }

    /** Moves one message to another queue (a new delivery there: its count starts again); false when it is not there. */
    public boolean move(String queue, long messageId, String otherQueue) {
        return Boolean.TRUE.equals(invoke(ResourceNames.QUEUE + queue, "moveMessage", messageId, otherQueue));
    }

    /** Removes one message; false when it is not there. */
    public boolean remove(String queue, long messageId) {
        return Boolean.TRUE.equals(invoke(ResourceNames.QUEUE + queue, "removeMessage", messageId));
    }

    /**
     * The broker's disk: the share in use (0-100) and its {@code max-disk-usage} (percent; -1 or 100 and above:
     * no limit). Over the limit the broker blocks every sender until space is freed.
     */
    public record Disk(double usedPercent, int maxUsagePercent) {
        public boolean full() {
            return maxUsagePercent >= 0 && maxUsagePercent < 100 && usedPercent > maxUsagePercent;
        }
    }

    public Disk disk() {
        double used = ((Number) attribute(ResourceNames.BROKER, "diskStoreUsage")).doubleValue();
        int max = ((Number) attribute(ResourceNames.BROKER, "maxDiskUsage")).intValue();
        return new Disk(used <= 1.0 ? used * 100 : used, max);
    }

    private Object attribute(String resource, String attribute) {
        return request(resource, attribute, message -> JMSManagementHelper.putAttribute(message, resource, attribute));
    }

    private Object invoke(String resource, String operation, Object... arguments) {
        return request(resource, operation, message -> JMSManagementHelper.putOperationInvocation(message, resource, operation, arguments));
    }

    private interface Question {
        void putInto(Message message) throws Exception;
    }

    /**
     * One question at a time over one session and one reply queue that live as long as they work: a reply queue
     * per question came and went in the broker's JMX tree several times a second while the console polled, and
     * Hawtio's JMX tree failed to list whenever one vanished mid-listing.
     */
    private synchronized Object request(String resource, String what, Question question) {
        try {
            Channel channel = open();
            Message message = channel.session.createMessage();
            question.putInto(message);
            message.setJMSReplyTo(channel.replies);
            String correlation = java.util.UUID.randomUUID().toString();
            message.setJMSCorrelationID(correlation);
            channel.producer.send(message);
            long deadline = System.currentTimeMillis() + ANSWER_WITHIN.toMillis();
            Message reply;
            do { // an answer to an earlier question that timed out is dropped
                reply = channel.consumer.receive(Math.max(1, deadline - System.currentTimeMillis()));
            } while (reply != null && !correlation.equals(reply.getJMSCorrelationID()) && System.currentTimeMillis() < deadline);
            if (reply == null || !correlation.equals(reply.getJMSCorrelationID())) {
                throw new BrokerManagementException("the broker did not answer " + what + " on " + resource + " within "
                        + ANSWER_WITHIN.toSeconds() + " s", null);
            }
            if (!JMSManagementHelper.hasOperationSucceeded(reply)) {
                throw new BrokerManagementException("the broker refused " + what + " on " + resource + ": "
                        + JMSManagementHelper.getResult(reply), null);
            }
            return JMSManagementHelper.getResult(reply);
        } catch (BrokerManagementException e) {
            throw e;
        } catch (Exception e) {
            close(); // the next question opens a new channel (the broker restarted, failed over, ...)
            throw new BrokerManagementException("cannot ask the broker " + what + " on " + resource + ": " + e.getMessage(), e);
        }
    }

    /** The session, reply queue, producer and consumer the questions go over. */
    private record Channel(Connection connection, Session session, TemporaryQueue replies, MessageProducer producer,
                           MessageConsumer consumer) {
    }

    private Channel channel;

    private Channel open() throws jakarta.jms.JMSException {
        if (channel == null) {
            Connection connection = connections.createConnection();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            connection.start();
            TemporaryQueue replies = session.createTemporaryQueue();
            channel = new Channel(connection, session, replies, session.createProducer(session.createQueue(MANAGEMENT_ADDRESS)),
                    session.createConsumer(replies));
        }
        return channel;
    }

    @jakarta.annotation.PreDestroy
    synchronized void close() {
        if (channel != null) {
            Channel closing = channel;
            channel = null;
            try {
                closing.consumer().close();
                closing.producer().close();
                closing.replies().delete();
                closing.session().close();
                closing.connection().close();
            } catch (Exception alreadyGone) {
                // the broker or the connection went away: nothing left to close
            }
        }
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
    }

    /** The broker could not be asked, did not answer, or refused. */
    public static class BrokerManagementException extends RuntimeException {
        BrokerManagementException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

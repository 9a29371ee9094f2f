package vn.quangninh.cphub.broker;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.apache.activemq.artemis.api.core.management.QueueControl;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every {@code cphub.*} queue of the embedded broker at a glance ({@code /actuator/prometheus}):
 * {@code cphub_queue_messages}, {@code cphub_queue_consumers} and {@code cphub_queue_oldest_message_age_seconds},
 * tagged by queue, read from the broker every few seconds. An external broker has its own metrics (Artemis'
 * Prometheus plugin, or its JMX): nothing here then.
 */
@Component
public class QueueMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(QueueMetrics.class);

    private final ObjectProvider<EmbeddedActiveMQ> embedded;
    private final MultiGauge messages;
    private final MultiGauge consumers;
    private final MultiGauge oldest;

    public QueueMetrics(ObjectProvider<EmbeddedActiveMQ> embedded, MeterRegistry registry) {
        this.embedded = embedded;
        this.messages = MultiGauge.builder("cphub.queue.messages").description("Messages waiting in the queue")
                .register(registry);
        this.consumers = MultiGauge.builder("cphub.queue.consumers").description("Consumers of the queue").register(registry);
        this.oldest = MultiGauge.builder("cphub.queue.oldest.message.age").baseUnit("seconds")
                .description("Age of the oldest message in the queue (0 when empty)").register(registry);
    }

    @Scheduled(initialDelayString = "${cphub.metrics.queue-refresh:5s}", fixedDelayString = "${cphub.metrics.queue-refresh:5s}")
    void refresh() {
        EmbeddedActiveMQ broker = embedded.getIfAvailable();
        ActiveMQServer server = broker == null ? null : broker.getActiveMQServer();
        if (server == null || !server.isActive()) {
            return;
        }
        List<MultiGauge.Row<?>> waiting = new ArrayList<>();
        List<MultiGauge.Row<?>> consuming = new ArrayList<>();
        List<MultiGauge.Row<?>> ages = new ArrayList<>();
        try {
            for (String queue : server.getActiveMQServerControl().getQueueNames()) {
                if (!queue.startsWith("cphub.")
                        || !(server.getManagementService().getResource(ResourceNames.QUEUE + queue) instanceof QueueControl control)) {
                    continue;
                }
                Tags tags = Tags.of("queue", queue);
                waiting.add(MultiGauge.Row.of(tags, control.getMessageCount()));
                consuming.add(MultiGauge.Row.of(tags, control.getConsumerCount()));
                Long ageMillis = control.getFirstMessageAge();
                ages.add(MultiGauge.Row.of(tags, ageMillis == null ? 0 : ageMillis / 1000.0));
            }
        } catch (Exception brokerBusy) {
            LOG.debug("Queue metrics not refreshed: {}", brokerBusy.toString());
            return;
        }
        messages.register(waiting, true);
        consumers.register(consuming, true);
        oldest.register(ages, true);
    }
}

package vn.quangninh.cphub.broker;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubProperties;

/**
 * The Artemis connection factory caches the queues it has looked up: without it every send asks the broker
 * whether its queue exists (a blocking round trip per message, seen in triage's profile). Its consumers take
 * {@code cphub.broker.consumer-window-size} ahead (by default nothing): no consumer sits on a message another
 * could take while it works on something else, and a queue's priority order holds.
 */
@Component
public class ConnectionFactoryTuning implements BeanPostProcessor {

    private final int consumerWindowSize;

    public ConnectionFactoryTuning(HubProperties hub) {
        this.consumerWindowSize = (int) hub.broker().consumerWindowSize().toBytes();
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
        Object target = bean instanceof CachingConnectionFactory caching ? caching.getTargetConnectionFactory() : bean;
        if (target instanceof ActiveMQConnectionFactory artemis) {
            artemis.setCacheDestinations(true);
            artemis.setConsumerWindowSize(consumerWindowSize);
        }
        return bean;
    }
}

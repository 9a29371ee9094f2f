package vn.quangninh.cphub.broker;

import java.util.List;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubProperties;
import vn.quangninh.cphub.partner.PartnerRegistry;

/**
 * Makes the embedded broker safe for children's reports: every queue durable with a dead-letter address
 * (Artemis drops a message that exhausts its attempts when there is none), exponential redelivery
 * back-off, delivery counts persisted before delivery (so a message that kills the JVM still ends in a
 * DLQ), an explicit memory limit with paging beyond it. The same settings for an external broker are in
 * {@code config/broker/broker.xml}.
 */
@Component
public class EmbeddedBrokerSettings implements ArtemisConfigurationCustomizer {

    /** Where the broker puts what no consumer could take after the last attempt. */
    public static final String BROKER_DEAD_LETTERS = "cphub.dlq.broker";
    public static final List<String> HUB_QUEUES = List.of(
            "cphub.intake", "cphub.intake.urgent", "cphub.calls", "cphub.camera-events", "cphub.camera-alerts", "cphub.dlq.camera-alerts",
            "cphub.invalid", "cphub.unrouted", BROKER_DEAD_LETTERS);

    private final HubProperties.Broker broker;
    private final PartnerRegistry partners;

    public EmbeddedBrokerSettings(HubProperties hub, PartnerRegistry partners) {
        this.broker = hub.broker();
        this.partners = partners;
    }

    @Override
    public void customize(Configuration config) {
        config.setName(broker.name()); // the broker's name in JMX / Hawtio
        config.setPersistenceEnabled(true);
        config.setJMXManagementEnabled(true); // queues and their operations in Hawtio
        config.setPersistDeliveryCountBeforeDelivery(true);
        config.setGlobalMaxSize(broker.globalMaxSize().toBytes());
        config.setSecurityEnabled(false); // in-VM only: the embedded broker has no network acceptor

        SimpleString deadLetters = SimpleString.of(BROKER_DEAD_LETTERS);
        config.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(deadLetters)
                .setExpiryAddress(deadLetters)
                .setMaxDeliveryAttempts(broker.maxDeliveryAttempts())
                .setRedeliveryDelay(broker.redeliveryDelay().toMillis())
                .setRedeliveryMultiplier(broker.redeliveryMultiplier())
                .setMaxRedeliveryDelay(broker.maxRedeliveryDelay().toMillis())
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setAutoCreateQueues(true)
                .setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false));
        // dead-letter queues are read by operators: never expire or dead-letter them again
        config.addAddressSetting("cphub.dlq.#", new AddressSettings()
                .setExpiryAddress(deadLetters)
                .setMaxDeliveryAttempts(-1)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setAutoCreateQueues(true)
                .setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false));

        // incidents and their referrals: no message groups (0 buckets; the hub sets none, and a message that carries
        // one, say from an older hub, is not grouped either). Triage's and the sinks' consumers live as long as the
        // hub, and a group stays with the consumer that took its first message: the broker then stops delivering to
        // every consumer while the group of the message at the queue's head belongs to a busy one, and 8 consumers
        // worked like 2 or 3 (#13). Two copies of one source event in triage at once are kept apart by the store's
        // claim (SourceEventClaims); a partner's queue holds one referral per source event.
        config.addAddressSetting("cphub.intake.#", new AddressSettings().setDefaultGroupBuckets(0));
        config.addAddressSetting("cphub.deliver.#", new AddressSettings().setDefaultGroupBuckets(0));

        HUB_QUEUES.forEach(name -> durableQueue(config, name));
        partners.withSinks().forEach(p -> {
            durableQueue(config, "cphub.deliver." + p.id());
            durableQueue(config, "cphub.deliver." + p.id() + ".urgent");
            durableQueue(config, "cphub.dlq." + p.id());
        });
    }

    private static void durableQueue(Configuration config, String name) {
        config.addQueueConfiguration(QueueConfiguration.of(name).setAddress(name)
                .setRoutingType(RoutingType.ANYCAST).setDurable(true));
    }
}

package vn.quangninh.cphub.cctv;

import javax.sql.DataSource;

import org.apache.camel.processor.aggregate.jdbc.JdbcAggregationRepository;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Where open camera episodes live: camel-sql's JDBC aggregation repository in the hub's store (tables
 * {@code camera_episode} and {@code camera_episode_completed}), so a restart loses no open episode, and a
 * completed episode that could not be put on cphub.camera-alerts is recovered and sent again.
 */
@Configuration(proxyBeanMethods = false)
public class EpisodeRepositoryConfiguration {

    @Bean
    JdbcAggregationRepository cameraEpisodeRepository(DataSource store) {
        // the same class on H2 and PostgreSQL: camel-sql 4.17's PostgresAggregationRepository leaves the version
        // column out of its INSERT and fails ("column index is out of range: 3"); one consumer per episode key
        // (one JMS consumer) makes the duplicate-insert race it guards against rare, and it would roll back
        JdbcAggregationRepository repository =
                new JdbcAggregationRepository(new DataSourceTransactionManager(store), "camera_episode", store);
        repository.setUseRecovery(true);
        repository.setRecoveryInterval(5000);
        repository.setMaximumRedeliveries(100);
        repository.setDeadLetterUri("jms:queue:cphub.dlq.camera-alerts");
        repository.setStoreBodyAsText(false);
        return repository;
    }

    /**
     * Camera events already in an episode, by their dedupe key (Camel's table camel_messageprocessed, processor
     * {@code camera-events}): the same event from two hubs (each subscribed to Frigate), a device's retry or an
     * MQTT redelivery after its episode has closed is taken once. Copies of one event reach one consumer one
     * after the other (the episode's message group), so the check cannot race.
     */
    @Bean
    JdbcMessageIdRepository cameraEventIdempotency(DataSource store) {
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(store, "camera-events");
        repository.setCreateTableIfNotExists(false);
        return repository;
    }
}

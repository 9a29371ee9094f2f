package vn.quangninh.cphub.cctv;

import javax.sql.DataSource;

import org.apache.camel.processor.aggregate.jdbc.JdbcAggregationRepository;
import org.apache.camel.processor.aggregate.jdbc.PostgresAggregationRepository;
import org.springframework.beans.factory.annotation.Value;
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
    JdbcAggregationRepository cameraEpisodeRepository(DataSource store, @Value("${spring.datasource.url}") String url) {
        JdbcAggregationRepository repository = url.startsWith("jdbc:postgresql")
                ? new PostgresAggregationRepository(new DataSourceTransactionManager(store), "camera_episode", store)
                : new JdbcAggregationRepository(new DataSourceTransactionManager(store), "camera_episode", store);
        repository.setUseRecovery(true);
        repository.setRecoveryInterval(5000);
        repository.setMaximumRedeliveries(100);
        repository.setDeadLetterUri("jms:queue:cphub.dlq.camera-alerts");
        repository.setStoreBodyAsText(false);
        return repository;
    }
}

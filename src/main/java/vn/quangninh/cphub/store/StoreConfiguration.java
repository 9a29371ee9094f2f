package vn.quangninh.cphub.store;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The store's Camel-facing pieces; the tables come from the Flyway migrations in db/migration. */
@Configuration
public class StoreConfiguration {

    /**
     * Source events already triaged, keyed "source system/source event id"; a key is written only once the
     * triage transaction has committed.
     */
    @Bean
    AfterCommitIdempotentRepository intakeIdempotency(DataSource dataSource) {
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource, "triage");
        repository.setCreateTableIfNotExists(false);
        return new AfterCommitIdempotentRepository(repository);
    }
}

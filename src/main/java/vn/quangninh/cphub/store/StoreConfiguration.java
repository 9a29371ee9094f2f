package vn.quangninh.cphub.store;

import java.sql.Timestamp;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The store's Camel-facing pieces; the tables come from the Flyway migrations in db/migration. */
@Configuration
public class StoreConfiguration {

    /** Camel's processor name of triage's keys. */
    private static final String PROCESSOR = "triage";

    /**
     * Source events already triaged, keyed "source system/source event id"; a key is written only once the
     * triage transaction has committed.
     */
    @Bean
    AfterCommitIdempotentRepository intakeIdempotency(DataSource dataSource, GroupCommit storeTransaction) {
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource, PROCESSOR);
        repository.setCreateTableIfNotExists(false);
        // the same row Camel's repository writes, in the store writer's next batch
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        return new AfterCommitIdempotentRepository(repository, key -> storeTransaction.defer("dedupe key of " + key,
                () -> jdbc.update("insert into camel_messageprocessed (processorname, messageid, createdat) select ?, ?, ?"
                                + " where not exists (select 1 from camel_messageprocessed where processorname = ? and messageid = ?)",
                        PROCESSOR, key, new Timestamp(System.currentTimeMillis()), PROCESSOR, key)));
    }
}

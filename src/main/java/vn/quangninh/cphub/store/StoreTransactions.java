package vn.quangninh.cphub.store;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code storeTransaction}, the policy routes wrap their store steps in ({@link GroupCommit}): one store
 * transaction for the steps of many messages, with {@code cphub.store.writers} writer threads taking up to
 * {@code cphub.store.batch} messages at a time.
 */
@Configuration(proxyBeanMethods = false)
public class StoreTransactions {

    public static final String POLICY = "storeTransaction";

    /** Started before the routes that use it, stopped after them (Camel stops with the application context). */
    @Bean(name = POLICY, initMethod = "start", destroyMethod = "stop")
    GroupCommit storeTransaction(PlatformTransactionManager storeTransactionManager,
                                 @Value("${cphub.store.writers}") int writers, @Value("${cphub.store.batch}") int batch) {
        return new GroupCommit(storeTransactionManager, writers, batch);
    }
}

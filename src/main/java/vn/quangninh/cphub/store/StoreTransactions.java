package vn.quangninh.cphub.store;

import java.time.Duration;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code storeTransaction}, the policy routes wrap their store steps in ({@link GroupCommit}): one store
 * transaction for the steps of many messages, with {@code cphub.store.writers} writer threads taking up to
 * {@code cphub.store.batch} messages at a time; and {@code storeTransactionWithSends} for store steps that
 * send to the broker as they go ({@link StoreTransactionWithSends}); and {@code storeCircuit}, the route policy
 * that holds the routes taking the hub's queues into the store while the store takes no commit ({@link StoreCircuit}).
 */
@Configuration(proxyBeanMethods = false)
public class StoreTransactions {

    public static final String POLICY = "storeTransaction";
    public static final String WITH_SENDS = "storeTransactionWithSends";
    public static final String CIRCUIT = "storeCircuit";

    /** Started before the routes that use it, stopped after them (Camel stops with the application context). */
    @Bean(name = POLICY, initMethod = "start", destroyMethod = "stop")
    GroupCommit storeTransaction(PlatformTransactionManager storeTransactionManager,
                                 @Value("${cphub.store.writers}") int writers, @Value("${cphub.store.batch}") int batch,
                                 @Value("${cphub.store.linger}") Duration linger, MeterRegistry meters) {
        return new GroupCommit(storeTransactionManager, writers, batch, linger, meters);
    }

    /** Store steps that send to the broker as they go, in one transaction on the route's thread ({@link StoreTransactionWithSends}). */
    @Bean(name = WITH_SENDS)
    StoreTransactionWithSends storeTransactionWithSends(PlatformTransactionManager storeTransactionManager) {
        return new StoreTransactionWithSends(storeTransactionManager);
    }

    /** Its state is the gauge {@code cphub_store_circuit}: 0 closed, 2 open (as a partner's circuit counts). */
    @Bean(name = CIRCUIT, destroyMethod = "close")
    StoreCircuit storeCircuit(DataSource dataSource, PlatformTransactionManager storeTransactionManager,
                              @Value("${cphub.store.probe-interval}") Duration probeInterval, MeterRegistry meters) {
        StoreCircuit circuit = new StoreCircuit(dataSource, storeTransactionManager, probeInterval);
        Gauge.builder("cphub.store.circuit", circuit, c -> c.isOpen() ? 2 : 0)
                .description("0 closed; 2 open: the store takes no commit, triage, call records and camera alerts wait")
                .register(meters);
        return circuit;
    }
}

package vn.quangninh.cphub.broker;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.jms.connection.JmsTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;

/**
 * The JMS transaction triage runs in, bound in Camel's registry as {@code intakeTransactions}: a
 * {@link JmsTransactionManager} on the hub's connection factory (so the referrals triage sends join the
 * transaction that takes the incident), with Spring's transaction synchronisation switched on — Spring turns
 * it off for JMS by default, and {@code AfterCommitIdempotentRepository} needs it to write a dedupe key only
 * after the commit. Kept out of Spring's beans: a second transaction manager there would replace the store's
 * own (Spring Boot backs off its DataSourceTransactionManager when any is present).
 */
@Component
public class IntakeTransactions implements CamelContextConfiguration {

    public static final String BEAN = "intakeTransactions";

    private final ConnectionFactory connectionFactory;

    public IntakeTransactions(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        JmsTransactionManager transactions = new JmsTransactionManager(connectionFactory);
        transactions.setTransactionSynchronization(AbstractPlatformTransactionManager.SYNCHRONIZATION_ALWAYS);
        camelContext.getRegistry().bind(BEAN, transactions);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
    }
}

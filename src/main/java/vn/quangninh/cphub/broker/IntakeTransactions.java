package vn.quangninh.cphub.broker;

import java.util.List;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import org.apache.camel.component.jms.DefaultJmsMessageListenerContainer;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.component.jms.MessageListenerContainerFactory;
import org.springframework.jms.listener.AbstractMessageListenerContainer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

/**
 * The JMS transaction triage runs in ({@code consumerType: Custom}, {@code messageListenerContainerFactory:
 * "#intakeTransactions"}): the consumer's own local transaction, which takes the incident, and in which the
 * referrals triage sends are sent (Spring exposes the consumer's session to the sends), so all of them commit
 * or none. Around it, Spring's transaction synchronisation is active and told the outcome, as a transaction
 * manager would tell it: {@code AfterCommitIdempotentRepository} writes a dedupe key only after the commit, and
 * a store connection bound to the thread is released.
 *
 * <p>Why not a {@code JmsTransactionManager}, as before: with one, Spring takes the session from the
 * transaction and so opens and closes a consumer for every message, two round trips to the broker and a
 * consumer set up and torn down by it each time (#13). Here the consumer lives as long as its thread
 * ({@code cacheLevelName: CACHE_CONSUMER}).
 */
@Component(IntakeTransactions.BEAN)
public class IntakeTransactions implements MessageListenerContainerFactory {

    public static final String BEAN = "intakeTransactions";

    @Override
    public AbstractMessageListenerContainer createMessageListenerContainer(JmsEndpoint endpoint) {
        return new SynchronizedContainer(endpoint);
    }

    /** Camel's container, with the synchronisations run around each message's local transaction. */
    static final class SynchronizedContainer extends DefaultJmsMessageListenerContainer {

        SynchronizedContainer(JmsEndpoint endpoint) {
            super(endpoint);
        }

        @Override
        protected void doExecuteListener(Session session, Message message) throws JMSException {
            if (TransactionSynchronizationManager.isSynchronizationActive()) {
                // never expected (no transaction manager with this container, and every message clears its own);
                // thrown on without a rollback, the message would stay in the session and the next commit take it
                rollbackIfNecessary(session);
                throw new IllegalStateException("transaction synchronisation already active on " + Thread.currentThread().getName());
            }
            TransactionSynchronizationManager.initSynchronization();
            boolean committed = false;
            try {
                super.doExecuteListener(session, message);  // invokeListener, then the commit (or a rollback and a throw)
                committed = true;
            } finally {
                List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
                TransactionSynchronizationManager.clearSynchronization();
                try {
                    if (committed) {
                        TransactionSynchronizationUtils.invokeAfterCommit(synchronizations);
                    }
                } finally {
                    // always, as a transaction manager does: a store connection bound to the thread is released here
                    TransactionSynchronizationUtils.invokeAfterCompletion(synchronizations, committed
                            ? TransactionSynchronization.STATUS_COMMITTED : TransactionSynchronization.STATUS_ROLLED_BACK);
                }
            }
        }

        /** The listener, then what comes before a commit or a rollback (a failing beforeCommit rolls back). */
        @Override
        protected void invokeListener(Session session, Message message) throws JMSException {
            try {
                super.invokeListener(session, message);
                TransactionSynchronizationUtils.triggerBeforeCommit(false);
            } finally {
                TransactionSynchronizationUtils.triggerBeforeCompletion();
            }
        }
    }
}

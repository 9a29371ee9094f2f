package vn.quangninh.cphub.store;

import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.Policy;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code storeTransactionWithSends}, the policy for store steps that put messages on the broker as they go (a
 * referral's status and the update for its reporter): the steps run on the route's own thread in one store
 * transaction, which commits only if every step, the broker sends included, has succeeded. A failed send rolls
 * the store back; a commit that fails after a send leaves a message the broker already has, which the same
 * steps, tried again, send with the same duplicate id (the broker keeps one).
 *
 * <p>Unlike Camel's transacted policy, it rolls back on any failure, also one that the route's error handling
 * would answer: use it in a route without error handling of its own (caller-handles-errors), so that the
 * failure goes back to the caller, which answers the sender. Unlike {@link GroupCommit} (the storeTransaction
 * policy), nothing is batched with other messages: a send must happen inside the transaction it belongs to.
 */
public class StoreTransactionWithSends implements Policy {

    private final TransactionTemplate transactions;

    public StoreTransactionWithSends(PlatformTransactionManager store) {
        this.transactions = new TransactionTemplate(store);
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public void beforeWrap(Route route, NamedNode definition) {
        // nothing to prepare
    }

    @Override
    public Processor wrap(Route route, Processor steps) {
        return exchange -> transactions.executeWithoutResult(status -> {
            try {
                steps.process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null || exchange.isRollbackOnly() || exchange.isRollbackOnlyLast()) {
                status.setRollbackOnly();
            }
        });
    }
}

package vn.quangninh.cphub.store;

import java.util.function.Consumer;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * An idempotent repository that stores a key only once the transaction that consumed its message has
 * committed. Camel's idempotent consumer (with {@code eager: false}) adds the key when the exchange
 * completes, which for a transacted JMS consumer is <em>before</em> the JMS commit: if that commit then
 * fails (the broker killed, a connection failed over) the broker hands the message back while the key says
 * "done", and the message is skipped — lost. Here, within a Spring transaction, {@link #add} only registers
 * the write for after the commit; a rollback leaves no key, so the message is taken again.
 *
 * <p>The one window left is the other way round (committed, then the JVM dies before the key is written): the
 * message is gone from the queue, so only a sender resending the same event would be triaged twice, and the
 * referral ids keep that harmless. Outside a transaction the key is written at once.
 *
 * <p>After the commit the key is handed to {@code writeLater} (the store writer's next batch, {@link GroupCommit#defer})
 * rather than written in a commit of its own: nothing waits for it. Until it is written, a copy of the same
 * source event finds the first copy's claim ({@code SourceEventClaims}) and comes back later.
 */
public class AfterCommitIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    private static final Logger LOG = LoggerFactory.getLogger(AfterCommitIdempotentRepository.class);

    private final IdempotentRepository keys;
    private final Consumer<String> writeLater;

    public AfterCommitIdempotentRepository(IdempotentRepository keys, Consumer<String> writeLater) {
        this.keys = keys;
        this.writeLater = writeLater;
    }

    @Override
    public boolean add(String key) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return keys.add(key);
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                try {
                    writeLater.accept(key);
                } catch (RuntimeException storeUnavailable) {
                    // the work is committed; without its key a resend of the same event is triaged again, and
                    // the referral ids keep that harmless. Thrown on, it would only stall the JMS consumer.
                    LOG.warn("Source event {} is triaged, but its key could not be written ({}): a resend of it would be "
                            + "triaged again", key, storeUnavailable.getClass().getSimpleName());
                }
            }
        });
        return true;
    }

    @Override
    public boolean contains(String key) {
        return keys.contains(key);
    }

    @Override
    public boolean remove(String key) {
        return keys.remove(key);
    }

    @Override
    public boolean confirm(String key) {
        return keys.confirm(key);
    }

    @Override
    public void clear() {
        keys.clear();
    }

    @Override
    protected void doStart() throws Exception {
        ServiceHelper.startService(keys);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(keys);
    }
}

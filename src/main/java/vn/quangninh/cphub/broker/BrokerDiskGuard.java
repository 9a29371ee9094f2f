package vn.quangninh.cphub.broker;

import jakarta.jms.ResourceAllocationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Turns a broker whose disk is over its {@code max-disk-usage} into an answer for the sender. Artemis then
 * blocks every producer until space is freed: an intake send would hang, and the sender with it. The guard asks
 * the broker for its disk every {@code cphub.broker.disk-check-interval} and, while it is full, the intake lanes
 * refuse at once with {@link ResourceAllocationException} (a JMS exception: 503 with Retry-After, HL7 AE, SIP 500,
 * as when the broker is away), so senders keep their reports and send them again. Once the broker has room the
 * lanes take reports again by themselves (BrokerDiskFullIT).
 */
@Component("brokerDiskGuard")
public class BrokerDiskGuard {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerDiskGuard.class);

    private final BrokerManagement broker;
    private volatile BrokerManagement.Disk full;

    public BrokerDiskGuard(BrokerManagement broker) {
        this.broker = broker;
    }

    @Scheduled(fixedDelayString = "${cphub.broker.disk-check-interval:2s}", initialDelayString = "${cphub.broker.disk-check-interval:2s}")
    public void look() {
        try {
            BrokerManagement.Disk disk = broker.disk();
            if (disk.full() && full == null) {
                LOG.error("The broker's disk is {}% used, over its max-disk-usage of {}%: intake answers 503 / AE / SIP 500 until space is freed",
                        Math.round(disk.usedPercent()), disk.maxUsagePercent());
            } else if (!disk.full() && full != null) {
                LOG.warn("The broker's disk has room again ({}% used, limit {}%): intake takes reports again",
                        Math.round(disk.usedPercent()), disk.maxUsagePercent());
            }
            full = disk.full() ? disk : null;
        } catch (RuntimeException away) {
            // the broker cannot be asked (down, failing over): sends fail on their own, and the next look asks again
            full = null;
        }
    }

    /** The first step of each intake lane: refuses while the broker's disk is full. */
    public void check() throws ResourceAllocationException {
        BrokerManagement.Disk disk = full;
        if (disk != null) {
            throw new ResourceAllocationException("The broker's disk is full (" + Math.round(disk.usedPercent())
                    + "% used, max-disk-usage " + disk.maxUsagePercent() + "%)");
        }
    }
}

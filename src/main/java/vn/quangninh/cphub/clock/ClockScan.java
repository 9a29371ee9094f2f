package vn.quangninh.cphub.clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Finds the clock stages that have come due in the store's {@code referral_clock} table, every
 * {@code cphub.clocks.scan-interval}, and fires them ({@link ClockFiring}). The table is the only timer:
 * starting a clock is one row, not two scheduled executions more per clock (triage wrote twelve timer rows per
 * incident). Every hub instance scans; one escalates each stage: it claims the stage in the store first
 * (the claim lapses after a minute, should it die meanwhile). A stage whose escalation cannot be sent (the
 * broker is away) is given back and found again by the next scan.
 */
@Component
public class ClockScan {

    private static final Logger LOG = LoggerFactory.getLogger(ClockScan.class);
    private static final int BATCH = 500;

    private final ReferralClocks clocks;
    private final ClockFiring firing;

    public ClockScan(ReferralClocks clocks, ClockFiring firing) {
        this.clocks = clocks;
        this.firing = firing;
    }

    @Scheduled(fixedDelayString = "${cphub.clocks.scan-interval}", initialDelayString = "${cphub.clocks.scan-interval}")
    public void fireDue() {
        try {
            for (ClockStage stage : clocks.due(BATCH)) {
                try {
                    firing.fire(stage);
                } catch (RuntimeException e) {
                    LOG.warn("Clock {} of referral {}: its {} could not be escalated now ({}); the next scan tries again",
                            stage.clock(), stage.referralId(), stage.stage(), e.getClass().getSimpleName());
                }
            }
        } catch (RuntimeException storeUnavailable) {
            LOG.warn("Clock scan skipped: {}", storeUnavailable.getClass().getSimpleName());
        }
    }
}

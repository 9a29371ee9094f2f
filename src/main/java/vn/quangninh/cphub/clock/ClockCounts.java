package vn.quangninh.cphub.clock;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * How many Decree 56 clocks are running, near their deadline and past it: counted in the background every
 * {@code cphub.clocks.count-interval}, and read from here by the gauges ({@code /actuator/prometheus}) and the clocks
 * report (Hawtio's Clocks tab, which polls it every 5 seconds). Each count reads an index entry per running clock:
 * 0.9 s at 430,000 running on PostgreSQL, and a long backlog runs millions (four per incident), so counting on every
 * scrape and every poll made each of them take seconds and grow with the backlog (bench/RESULTS.md). Counted once,
 * in one pass, however many read them. When the store cannot be read, the last counts stay, with the time they
 * were counted.
 */
@Component
public class ClockCounts {

    private static final Logger LOG = LoggerFactory.getLogger(ClockCounts.class);

    private final ReferralClocks clocks;
    private final Clock clock;
    private volatile ReferralClocks.Counts latest = new ReferralClocks.Counts(null, 0, 0, 0);

    public ClockCounts(ReferralClocks clocks, Clock clock) {
        this.clocks = clocks;
        this.clock = clock;
    }

    public ReferralClocks.Counts latest() {
        return latest;
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${cphub.clocks.count-interval}")
    public void count() {
        try {
            latest = clocks.count(clock.instant());
        } catch (RuntimeException storeUnavailable) {
            LOG.warn("Clocks not counted (the counts of {} stay): {}", latest.countedAt(), storeUnavailable.getClass().getSimpleName());
        }
    }
}

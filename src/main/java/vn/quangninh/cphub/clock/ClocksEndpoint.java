package vn.quangninh.cphub.clock;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The legal clocks for operators: {@code GET /actuator/clocks} (how many are near or past their deadline, and the
 * first {@value #LISTED} of them, those still before their deadline first),
 * {@code GET /actuator/clocks/{incidentId}} (every clock of one incident), the same as the MBean
 * {@code org.springframework.boot:type=Endpoint,name=Clocks} in Hawtio, and the gauges
 * {@code cphub.clocks.running|near_breach|breached} in /actuator/prometheus (the counts: {@link ClockCounts}, every
 * {@code cphub.clocks.count-interval}). Ids and times only.
 */
@org.springframework.stereotype.Component
@Endpoint(id = "clocks")
public class ClocksEndpoint {

    /**
     * @param countedAt when the counts were taken ({@link ClockCounts}, every {@code cphub.clocks.count-interval});
     *                  the list is read at {@code now}
     */
    public record Report(Instant now, Instant countedAt, long running, long nearBreach, long breached,
                         List<ReferralClocks.ClockState> attention) {
    }

    /**
     * Clocks the report lists at most (the counts cover them all): the Hawtio page polls it, and after a long outage
     * tens of thousands of clocks can be late at once.
     */
    static final int LISTED = 500;

    private final ReferralClocks clocks;
    private final ClockCounts counts;
    private final Clock clock;

    public ClocksEndpoint(ReferralClocks clocks, ClockCounts counts, Clock clock, MeterRegistry meters) {
        this.clocks = clocks;
        this.counts = counts;
        this.clock = clock;
        Gauge.builder("cphub.clocks.running", counts, c -> c.latest().running()).description("Legal clocks running").register(meters);
        Gauge.builder("cphub.clocks.near_breach", counts, c -> c.latest().nearBreach())
                .description("Running clocks past their warning point, before their deadline").register(meters);
        Gauge.builder("cphub.clocks.breached", counts, c -> c.latest().breached())
                .description("Running clocks past their deadline").register(meters);
    }

    /** The last counts of every clock, and the first {@link #LISTED} of those near or past breach now. */
    @ReadOperation
    public Report attention() {
        Instant now = clock.instant();
        ReferralClocks.Counts latest = counts.latest();
        return new Report(now, latest.countedAt(), latest.running(), latest.nearBreach(), latest.breached(),
                clocks.nearOrPastBreach(LISTED));
    }

    @ReadOperation
    public List<ReferralClocks.ClockState> ofIncident(@Selector String incidentId) {
        return clocks.ofIncident(incidentId);
    }
}

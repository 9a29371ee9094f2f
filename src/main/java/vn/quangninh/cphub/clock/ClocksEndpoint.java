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
 * The legal clocks for operators: {@code GET /actuator/clocks} (the clocks near or past their deadline),
 * {@code GET /actuator/clocks/{incidentId}} (every clock of one incident), the same as the MBean
 * {@code org.springframework.boot:type=Endpoint,name=Clocks} in Hawtio, and the gauges
 * {@code cphub.clocks.running|near_breach|breached} in /actuator/prometheus. Ids and times only.
 */
@org.springframework.stereotype.Component
@Endpoint(id = "clocks")
public class ClocksEndpoint {

    public record Report(Instant now, long running, long nearBreach, long breached, List<ReferralClocks.ClockState> attention) {
    }

    private final ReferralClocks clocks;
    private final Clock clock;

    public ClocksEndpoint(ReferralClocks clocks, Clock clock, MeterRegistry meters) {
        this.clocks = clocks;
        this.clock = clock;
        Gauge.builder("cphub.clocks.running", clocks::countRunning).description("Legal clocks running").register(meters);
        Gauge.builder("cphub.clocks.near_breach", clocks::countNearBreach)
                .description("Running clocks past their warning point, before their deadline").register(meters);
        Gauge.builder("cphub.clocks.breached", clocks::countBreached)
                .description("Running clocks past their deadline").register(meters);
    }

    @ReadOperation
    public Report attention() {
        List<ReferralClocks.ClockState> attention = clocks.nearOrPastBreach();
        Instant now = clock.instant();
        long breached = attention.stream().filter(c -> !c.deadline().isAfter(now)).count();
        return new Report(now, clocks.countRunning(), attention.size() - breached, breached, attention);
    }

    @ReadOperation
    public List<ReferralClocks.ClockState> ofIncident(@Selector String incidentId) {
        return clocks.ofIncident(incidentId);
    }
}

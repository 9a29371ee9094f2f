package vn.quangninh.cphub.outbox;

import java.time.Duration;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.camel.spi.RoutePolicy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The route policies that let an emergency have the cores ({@link EmergencyFirst}): {@code emergencyLanes} on the
 * emergency lanes' routes, {@code routineLanes} on the routine ones.
 */
@Configuration(proxyBeanMethods = false)
public class LanePolicies {

    public static final String EMERGENCY_LANES = "emergencyLanes";
    public static final String ROUTINE_LANES = "routineLanes";

    /** Its waiting is the counter {@code cphub_routine_paused_seconds_total}. */
    @Bean
    EmergencyFirst emergencyFirst(@Value("${cphub.emergency-first.hold}") Duration hold,
                                  @Value("${cphub.emergency-first.max-pause}") Duration maxPause,
                                  @Value("${cphub.emergency-first.window}") Duration window, MeterRegistry meters) {
        EmergencyFirst emergencyFirst = new EmergencyFirst(hold, maxPause, window);
        FunctionCounter.builder("cphub.routine.paused", emergencyFirst, EmergencyFirst::pausedSeconds)
                .baseUnit("seconds")
                .description("time routine triage and deliveries waited before a message while an emergency was under way")
                .register(meters);
        return emergencyFirst;
    }

    @Bean(name = EMERGENCY_LANES)
    RoutePolicy emergencyLanes(EmergencyFirst emergencyFirst) {
        return emergencyFirst.emergencyLanes();
    }

    @Bean(name = ROUTINE_LANES)
    RoutePolicy routineLanes(EmergencyFirst emergencyFirst) {
        return emergencyFirst.routineLanes();
    }
}

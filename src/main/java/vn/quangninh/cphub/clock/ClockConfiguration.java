package vn.quangninh.cphub.clock;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The hub's one notion of now, shared by the legal clocks and the timer scheduler, so a test can move
 * time forward by hours without waiting for them.
 */
@Configuration(proxyBeanMethods = false)
public class ClockConfiguration {

    /** The system clock in UTC; a test replaces it with a {@code @Primary} clock it can move. */
    @Bean
    Clock hubClock() {
        return Clock.systemUTC();
    }

    /** db-scheduler decides which timers are due by this clock. */
    @Bean
    com.github.kagkarlsson.scheduler.Clock dbSchedulerClock(Clock hubClock) {
        return hubClock::instant;
    }
}

package vn.quangninh.testsupport;

import java.time.Clock;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import vn.quangninh.cphub.MovableClock;

/**
 * The hub's clock in tests: the legal clocks and their timers run on it; tests move it forward. Outside
 * the hub's packages so that a hub started from a test without Spring's test support does not pick it up
 * by component scanning unless asked to.
 */
@TestConfiguration(proxyBeanMethods = false)
public class MovedTime {

    public static final MovableClock CLOCK = new MovableClock();

    @Bean
    @Primary
    Clock movableClock() {
        return CLOCK;
    }
}

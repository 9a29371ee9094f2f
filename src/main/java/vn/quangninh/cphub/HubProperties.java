package vn.quangninh.cphub;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The hub's own settings ({@code cphub.*}); every one can be overridden by an environment variable
 * (see README, "Settings").
 */
@ConfigurationProperties("cphub")
public record HubProperties(Path dataDir, Path configDir, Path connectorsDir, Intake intake, Delivery delivery, Broker broker) {

    /** Partner API limits. */
    public record Intake(DataSize maxBodySize, Duration retryAfter) {
    }

    /**
     * Outbound delivery: how many attempts the sinks make before a referral goes to its partner's DLQ, how many
     * deliveries to one partner run at once in its routine queue and in its emergency lane, and when a partner
     * counts as down (its circuit).
     */
    public record Delivery(int maxAttempts, int consumers, int urgentConsumers, Circuit circuit) {
    }

    /**
     * A partner is down after {@code failureThreshold} failed attempts within {@code failureWindow}: its sink
     * stops taking referrals (they wait in their queue, in priority order, spending no attempts) and tries
     * one again after {@code halfOpenAfter}.
     */
    public record Circuit(int failureThreshold, Duration failureWindow, Duration halfOpenAfter) {
    }

    /** Broker settings that apply to the embedded broker (an external broker has its own broker.xml). */
    public record Broker(String url, String name, DataSize globalMaxSize, Duration redeliveryDelay, double redeliveryMultiplier,
                         Duration maxRedeliveryDelay, int maxDeliveryAttempts, DataSize consumerWindowSize) {
    }
}

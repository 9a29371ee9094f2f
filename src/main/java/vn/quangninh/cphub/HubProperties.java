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

    /** Outbound delivery: how many attempts the sinks make before a referral goes to its partner's DLQ. */
    public record Delivery(int maxAttempts) {
    }

    /** Broker settings that apply to the embedded broker (an external broker has its own broker.xml). */
    public record Broker(String url, String name, DataSize globalMaxSize, Duration redeliveryDelay, double redeliveryMultiplier,
                         Duration maxRedeliveryDelay, int maxDeliveryAttempts) {
    }
}

package vn.quangninh.cphub.broker;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * One setting chooses the broker: when {@code cphub.broker.url} (env {@code CPHUB_BROKER_URL}) is set —
 * one URL or a failover list such as {@code (tcp://a:61616,tcp://b:61616)?ha=true&reconnectAttempts=-1} —
 * the hub connects to that broker and starts no embedded one; otherwise it runs the embedded broker.
 */
public class BrokerModeSelector implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty("cphub.broker.url");
        if (url != null && !url.isBlank()) {
            environment.getPropertySources().addFirst(new MapPropertySource("cphub-external-broker", Map.of(
                    "spring.artemis.mode", "native",
                    "spring.artemis.broker-url", url.trim(),
                    "spring.artemis.embedded.enabled", "false")));
        }
    }
}

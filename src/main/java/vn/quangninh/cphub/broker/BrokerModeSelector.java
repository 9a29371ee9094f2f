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
 *
 * <p>Unless the URL says otherwise, the hub reconnects for ever and a send waits at most a few seconds for
 * a lost broker ({@link #DEFAULT_OPTIONS}): a partner then gets a 503 to retry instead of a hanging request.
 */
public class BrokerModeSelector implements EnvironmentPostProcessor {

    /**
     * Reconnect for ever; notice a dead broker within 5 s (the default ping check is 30 s, and a killed
     * broker was seen to go unnoticed until then); a blocking call waits at most 10 s.
     */
    static final String[] DEFAULT_OPTIONS = {
        "reconnectAttempts=-1", "clientFailureCheckPeriod=5000", "callFailoverTimeout=5000", "callTimeout=10000"};

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty("cphub.broker.url");
        if (url != null && !url.isBlank()) {
            environment.getPropertySources().addFirst(new MapPropertySource("cphub-external-broker", Map.of(
                    "spring.artemis.mode", "native",
                    "spring.artemis.broker-url", withDefaults(url.trim()),
                    "spring.artemis.embedded.enabled", "false")));
        }
    }

    static String withDefaults(String url) {
        String result = url;
        for (String option : DEFAULT_OPTIONS) {
            String name = option.substring(0, option.indexOf('=') + 1);
            if (!result.contains(name)) {
                result += (result.contains("?") ? "&" : "?") + option;
            }
        }
        return result;
    }
}

package vn.quangninh.cphub.cctv;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Frigate connector's MQTT client ids, as the shipped settings make them. A persistent session belongs to its
 * client id: an id that changed on upgrade would leave what waited at the MQTT broker for the old one undelivered.
 */
class FrigateClientIdTest {

    @Test
    void theSessionsAreStillNamedAfterTheHubsBroker() throws IOException {
        assertThat(clientIds(null)).containsExactly("cphub-frigate-events-cphub", "cphub-frigate-reviews-cphub");
        assertThat(clientIds("hub2")).containsExactly("cphub-frigate-events-hub2", "cphub-frigate-reviews-hub2");
    }

    private static String[] clientIds(String brokerName) throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        if (brokerName != null) {
            environment.getPropertySources().addFirst(new MapPropertySource("settings", Map.of("CPHUB_BROKER_NAME", brokerName)));
        }
        new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yaml"))
                .forEach(environment.getPropertySources()::addLast);
        return new String[] {
                environment.getRequiredProperty("cphub.cctv.frigate.events-client-id"),
                environment.getRequiredProperty("cphub.cctv.frigate.reviews-client-id") };
    }
}

package vn.quangninh.cphub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** CP Hub: partners' reports in, one canonical incident, referrals out with guaranteed delivery. */
@SpringBootApplication
@ConfigurationPropertiesScan
@org.springframework.scheduling.annotation.EnableScheduling
public class CpHubApplication {

    public static void main(String[] args) {
        try {
            SpringApplication.run(CpHubApplication.class, args);
        } catch (RuntimeException startFailed) {
            // Spring Boot has logged why and closed the context; a library thread that is not a daemon (seen after
            // a refused start: BrokenConnectorIT) must not keep a hub that refused to start alive and listening
            System.exit(1);
        }
    }
}

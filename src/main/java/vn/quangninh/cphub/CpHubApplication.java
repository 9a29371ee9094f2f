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
        SpringApplication.run(CpHubApplication.class, args);
    }
}

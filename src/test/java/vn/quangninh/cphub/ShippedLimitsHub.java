package vn.quangninh.cphub;

import java.io.IOException;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A second test hub with the limits as shipped — credential back-off, connection caps per address — for the
 * tests that attack them (the shared test hub takes hundreds of wrong credentials from 127.0.0.1 on purpose
 * and has them off). Test classes extending this one share this hub.
 */
public abstract class ShippedLimitsHub extends HubTestSupport {

    @DynamicPropertySource
    static void shippedLimits(DynamicPropertyRegistry registry) throws IOException {
        secondHub(registry, "cphub-limits", 12, true);
        registry.add("cphub.security.credentials.account-free-failures", () -> "5");
        registry.add("cphub.security.credentials.address-free-failures", () -> "20");
    }
}

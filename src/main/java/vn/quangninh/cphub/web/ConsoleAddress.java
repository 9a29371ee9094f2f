package vn.quangninh.cphub.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Says where the operators' console is once the hub is ready: a new operator who ran the hub sees the
 * address in its output (Hawtio, the partner API's OpenAPI, health and metrics).
 */
@Component
public class ConsoleAddress {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAddress.class);

    private final Environment environment;

    public ConsoleAddress(Environment environment) {
        this.environment = environment;
    }

    @EventListener
    public void ready(ApplicationReadyEvent event) {
        if (!(event.getApplicationContext() instanceof WebServerApplicationContext web) || web.getWebServer() == null) {
            return;
        }
        boolean tls = environment.getProperty("server.ssl.enabled", Boolean.class, false)
                || environment.getProperty("server.ssl.bundle") != null;
        String address = environment.getProperty("server.address", "localhost");
        if ("0.0.0.0".equals(address) || "::".equals(address)) {
            address = "localhost";
        }
        String base = (tls ? "https://" : "http://") + address + ":" + web.getWebServer().getPort();
        LOG.info("CP Hub is ready. Operators' console (Hawtio): {}/actuator/hawtio/ — health: {}/actuator/health,"
                + " metrics: {}/actuator/prometheus (console login)", base, base, base);
    }
}

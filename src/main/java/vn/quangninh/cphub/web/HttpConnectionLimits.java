package vn.quangninh.cphub.web;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Puts {@link AddressCappedNioProtocol} in Tomcat with {@code cphub.http.max-connections-per-address}; the
 * other limits (read timeouts, total connections) are Tomcat's own settings in application.yaml. A refused
 * connection is counted ({@code cphub_http_connections_refused_total}) and logged once a minute per address.
 */
@Component
public class HttpConnectionLimits implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnectionLimits.class);

    private final int maxPerAddress;
    private final MeterRegistry meters;
    private final Map<InetAddress, Long> lastLogged = new ConcurrentHashMap<>();

    public HttpConnectionLimits(@Value("${cphub.http.max-connections-per-address}") int maxPerAddress, MeterRegistry meters) {
        this.maxPerAddress = maxPerAddress;
        this.meters = meters;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.setProtocol(AddressCappedNioProtocol.class.getName());
        factory.addConnectorCustomizers(connector -> {
            AddressCappedNioProtocol protocol = (AddressCappedNioProtocol) connector.getProtocolHandler();
            protocol.setMaxConnectionsPerAddress(maxPerAddress);
            protocol.setOnRefused(this::refused);
        });
    }

    private void refused(InetAddress address) {
        meters.counter("cphub.http.connections.refused").increment();
        long now = System.nanoTime();
        Long last = lastLogged.get(address);
        if (last == null || now - last > 60_000_000_000L) {
            lastLogged.put(address, now);
            if (lastLogged.size() > 10_000) {
                lastLogged.clear();
            }
            LOG.warn("HTTP connection from {} refused: it holds {} open connections already "
                    + "(cphub.http.max-connections-per-address; logged once a minute per address)", address.getHostAddress(), maxPerAddress);
        }
    }
}

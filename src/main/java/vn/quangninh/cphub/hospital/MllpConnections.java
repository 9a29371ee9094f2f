package vn.quangninh.cphub.hospital;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.partner.PartnerRegistry;

/**
 * Who holds the MLLP listener's connections. A connection is <em>identified</em> once a message on it comes
 * from a known hospital ({@link #identified}), and <em>expected</em> when it comes from an address a hospital
 * is configured to send from ({@code hl7.allowedAddresses} in partners.yaml). The rest — idle or
 * garbage-sending connections, unknown senders — are closed {@code cphub.hl7.first-message-within} (10 s)
 * after they were opened. An address no hospital sends from holds at most {@code max-connections-per-address}
 * (its oldest gives way to its newest). When the listener holds {@code max-connections}, the oldest connection
 * that is neither identified nor expected makes room; if there is none, the newcomer is refused: a hospital's
 * connection is never displaced by a stranger's. Before this, 50 idle connections from anyone shut every
 * hospital out for up to the 300 s idle timeout. Each close is logged and counted
 * ({@code cphub_hl7_connections_closed_total}).
 */
@Component("mllpConnections")
public class MllpConnections {

    private static final Logger LOG = LoggerFactory.getLogger(MllpConnections.class);

    private static final class Connection {
        final Socket socket;
        final InetAddress address;
        final boolean expected;
        final long openedAt = System.nanoTime();
        volatile boolean identified;

        Connection(Socket socket, boolean expected) {
            this.socket = socket;
            this.address = socket.getInetAddress();
            this.expected = expected;
        }

        boolean protectedFromDisplacement() {
            return identified || expected;
        }
    }

    private final int maxConnections;
    private final int maxPerAddress;
    private final Duration firstMessageWithin;
    private final MeterRegistry meters;
    private final PartnerRegistry partners;
    /** By remote address as camel-mllp names it ("/10.0.0.5:51234"). */
    private final Map<String, Connection> open = new ConcurrentHashMap<>();

    public MllpConnections(@Value("${cphub.hl7.max-connections}") int maxConnections,
                           @Value("${cphub.hl7.max-connections-per-address}") int maxPerAddress,
                           @Value("${cphub.hl7.first-message-within}") Duration firstMessageWithin, MeterRegistry meters,
                           PartnerRegistry partners) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.firstMessageWithin = firstMessageWithin;
        this.meters = meters;
        this.partners = partners;
    }

    /** From the listener's accept thread: whether this new connection may stay (others may be closed for it). */
    public synchronized boolean admit(Socket socket) {
        open.values().removeIf(c -> c.socket.isClosed());
        Connection newcomer = new Connection(socket, partners.hl7AllowedAddresses().contains(socket.getInetAddress().getHostAddress()));
        if (!newcomer.expected && countFrom(newcomer.address) >= maxPerAddress) {
            displaceOldest(c -> c.address.equals(newcomer.address) && !c.identified, "its address holds "
                    + maxPerAddress + " connections (cphub.hl7.max-connections-per-address); the newest stays");
        }
        if (open.size() >= maxConnections
                && !displaceOldest(c -> !c.protectedFromDisplacement(), "the listener is full; a newer connection takes its place")) {
            close(newcomer, "refused: hospitals hold all " + maxConnections + " connections (cphub.hl7.max-connections)");
            return false;
        }
        open.put(String.valueOf(socket.getRemoteSocketAddress()), newcomer);
        return true;
    }

    /** From the route: a message on this connection came from a known hospital. */
    public void identified(Exchange exchange) {
        String remote = exchange.getMessage().getHeader("CamelMllpRemoteAddress", String.class);
        Connection connection = remote == null ? null : open.get(remote);
        if (connection != null) {
            connection.identified = true;
        }
    }

    /** Closes connections that have not brought a known hospital's message in time. */
    @Scheduled(fixedDelay = 500)
    public synchronized void closeUnidentified() {
        long now = System.nanoTime();
        for (var entry : open.entrySet()) {
            Connection c = entry.getValue();
            if (!c.identified && now - c.openedAt > firstMessageWithin.toNanos()) {
                close(c, "no message from a known hospital within " + firstMessageWithin.toSeconds() + " s");
                open.remove(entry.getKey());
            }
        }
    }

    private long countFrom(InetAddress address) {
        return open.values().stream().filter(c -> c.address.equals(address)).count();
    }

    /** Closes the oldest connection that may give way; false when there is none. */
    private boolean displaceOldest(Predicate<Connection> mayGiveWay, String why) {
        Optional<Map.Entry<String, Connection>> oldest = open.entrySet().stream()
                .filter(e -> mayGiveWay.test(e.getValue()))
                .min(Comparator.comparingLong(e -> e.getValue().openedAt));
        oldest.ifPresent(e -> {
            close(e.getValue(), "displaced: " + why);
            open.remove(e.getKey());
        });
        return oldest.isPresent();
    }

    private void close(Connection c, String why) {
        meters.counter("cphub.hl7.connections.closed", "reason", why.startsWith("refused") ? "refused"
                : why.startsWith("displaced") ? "displaced" : "no_message").increment();
        LOG.info("MLLP connection from {} closed: {}", c.address.getHostAddress(), why);
        try {
            c.socket.close();
        } catch (IOException ignored) {
            // closed either way
        }
    }
}

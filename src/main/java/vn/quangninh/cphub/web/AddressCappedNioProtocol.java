package vn.quangninh.cphub.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.NioEndpoint;

/**
 * Tomcat's NIO HTTP connector with a cap on the connections one client address may hold open. Tomcat caps
 * connections only in total ({@code max-connections}, 8192): one client opening thousands of slow
 * connections (slowloris) took them all and the hub stopped answering partners and health checks. A
 * connection over the cap is closed as soon as it is accepted, before any byte is read. Behind a reverse
 * proxy every client has the proxy's address: turn the cap off there (0) and cap at the proxy instead.
 */
public class AddressCappedNioProtocol extends Http11NioProtocol {

    public AddressCappedNioProtocol() {
        super(new CappedEndpoint());
    }

    /** 0 turns the cap off. */
    public void setMaxConnectionsPerAddress(int max) {
        ((CappedEndpoint) getEndpoint()).max = max;
    }

    /** Told of every connection refused over the cap (to count and log it). */
    public void setOnRefused(Consumer<InetAddress> onRefused) {
        ((CappedEndpoint) getEndpoint()).onRefused = onRefused;
    }

    static final class CappedEndpoint extends NioEndpoint {
        private volatile int max;
        private volatile Consumer<InetAddress> onRefused = address -> { };
        /** Connections accepted per address; closed ones are dropped on the next accept from that address. */
        private final Map<InetAddress, Set<SocketChannel>> open = new ConcurrentHashMap<>();
        private long accepted;

        /** Called by Tomcat's single acceptor thread for every accepted connection. */
        @Override
        protected boolean setSocketOptions(SocketChannel socket) {
            if (max > 0) {
                InetAddress address = remoteAddress(socket);
                if (address != null) {
                    Set<SocketChannel> fromThere = open.computeIfAbsent(address, a -> ConcurrentHashMap.newKeySet());
                    fromThere.removeIf(channel -> !channel.isOpen());
                    if (fromThere.size() >= max) {
                        destroySocket(socket); // closed, and no longer counted against max-connections
                        onRefused.accept(address);
                        return false;
                    }
                    fromThere.add(socket);
                    if (++accepted % 1024 == 0) {
                        open.values().forEach(s -> s.removeIf(channel -> !channel.isOpen()));
                        open.values().removeIf(Set::isEmpty);
                    }
                }
            }
            return super.setSocketOptions(socket);
        }

        private static InetAddress remoteAddress(SocketChannel socket) {
            try {
                return socket.getRemoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
            } catch (IOException closed) {
                return null;
            }
        }
    }
}

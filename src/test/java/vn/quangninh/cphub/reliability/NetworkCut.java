package vn.quangninh.cphub.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import vn.quangninh.cphub.HubProcess;

/**
 * A TCP relay between the hub and a real server (PostgreSQL) that the test can cut: {@link #cut()} drops every
 * connection and refuses new ones, as a failed network or a stopped server would; {@link #open()} lets
 * connections through again on the same port.
 */
final class NetworkCut implements AutoCloseable {

    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    NetworkCut(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.port = HubProcess.freePort();
    }

    int port() {
        return port;
    }

    NetworkCut open() throws IOException {
        ServerSocket listening = new ServerSocket();
        listening.setReuseAddress(true);
        listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = listening;
        Thread accepting = new Thread(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    sockets.add(client);
                    sockets.add(target);
                    relay(client, target);
                    relay(target, client);
                } catch (IOException closed) {
                    // cut, or the target refused: the client sees its connection drop
                }
            }
        }, "network-cut-" + port);
        accepting.setDaemon(true);
        accepting.start();
        return this;
    }

    void cut() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    private void relay(Socket from, Socket to) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException closed) {
                // either side closed, or cut
            } finally {
                close(from);
                close(to);
            }
        }, "network-cut-relay");
        pump.setDaemon(true);
        pump.start();
    }

    private void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
        sockets.remove(socket);
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}

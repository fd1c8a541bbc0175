package io.imserver.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback that can cut the line, for database outage tests: {@link #refuse()} closes every
 * connection and the port (connects are refused, as of a database that is down), {@link #blackhole()} keeps every
 * socket open but forwards nothing (as of a network that drops packets: only timeouts notice), {@link #restore()}
 * forwards again.
 */
public final class TcpProxy implements AutoCloseable {
    private enum Mode { FORWARD, REFUSE, BLACKHOLE }

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.FORWARD;
    private volatile ServerSocket listener;
    private volatile boolean closed;

    private TcpProxy(InetSocketAddress target) {
        this.target = target;
        this.listener = bind(0);
        this.port = listener.getLocalPort();
        listen(listener);
    }

    /** A proxy on a free loopback port to {@code host:port}. */
    public static TcpProxy to(String host, int port) {
        return new TcpProxy(new InetSocketAddress(host, port));
    }

    public int port() {
        return port;
    }

    /** Database down: open connections are closed and new ones refused. */
    public synchronized void refuse() {
        mode = Mode.REFUSE;
        closeQuietly(listener);
        sockets.forEach(TcpProxy::closeQuietly);
    }

    /** Packets dropped: sockets stay open (new ones are accepted too) but nothing is forwarded either way. */
    public synchronized void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    /**
     * The line is back: new connections are forwarded. Connections of the outage are closed, as a peer does once its
     * packets get through again: what was dropped left them out of step.
     */
    public synchronized void restore() {
        sockets.forEach(TcpProxy::closeQuietly);
        if (mode == Mode.REFUSE) {
            listener = bind(port);
            listen(listener);
        }
        mode = Mode.FORWARD;
    }

    private static ServerSocket bind(int port) {
        try {
            var socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void listen(ServerSocket server) {
        Thread.ofVirtual().name("proxy-accept-" + port).start(() -> {
            while (!closed && !server.isClosed()) {
                try {
                    var client = server.accept();
                    sockets.add(client);
                    if (mode == Mode.FORWARD) {
                        connect(client);
                    } // else: accepted and never answered (blackhole)
                } catch (IOException e) {
                    // the listener was closed: refused until restore()
                }
            }
        });
    }

    private void connect(Socket client) {
        Thread.ofVirtual().start(() -> {
            try {
                var upstream = new Socket();
                sockets.add(upstream);
                upstream.connect(target, 5_000);
                Thread.ofVirtual().start(() -> pump(client, upstream));
                pump(upstream, client);
            } catch (IOException e) {
                closeQuietly(client);
            }
        });
    }

    /** Copies {@code from} to {@code to} while forwarding; in a blackhole what arrives is dropped. */
    private void pump(Socket from, Socket to) {
        var buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (mode == Mode.FORWARD) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // one side closed or was cut
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        sockets.forEach(TcpProxy::closeQuietly);
    }
}

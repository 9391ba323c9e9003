package io.herald.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy to PostgreSQL that can stop forwarding while it keeps both sides' sockets open, as a network cut or a
 * node that died leaves the database's side of its connections: the server sees silence, not a close. Armed, it
 * stops at the first moment one of its sessions is inside a transaction: when the server says it is ready for the
 * next statement of an open transaction (a ReadyForQuery message of status {@code T}), which it then never forwards.
 */
public final class StallingProxy implements AutoCloseable {
    /** ReadyForQuery, length 5, in a transaction block. */
    private static final byte[] IN_TRANSACTION = {'Z', 0, 0, 0, 5, 'T'};

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Integer> upstreamPorts = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stalled = new CountDownLatch(1);
    private volatile boolean armed;

    /** A proxy to the server of {@code jdbcUrl}, on a free port of the loopback interface. */
    public StallingProxy(String jdbcUrl) {
        var uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        this.target = new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var acceptor = new Thread(this::accept, "stalling-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code jdbcUrl} with its server replaced by this proxy. */
    public String url(String jdbcUrl) {
        return jdbcUrl.replaceFirst(
                "^jdbc:postgresql://[^/]+/", "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + "/");
    }

    /** Stops forwarding at the next moment a session is inside a transaction. */
    public void stallInTransaction() {
        armed = true;
    }

    /** Whether it stopped forwarding, waiting up to {@code seconds}. */
    public boolean awaitStalled(long seconds) throws InterruptedException {
        return stalled.await(seconds, TimeUnit.SECONDS);
    }

    /** The ports of the proxy's connections to the server: their {@code client_port} in {@code pg_stat_activity}. */
    public List<Integer> upstreamPorts() {
        return List.copyOf(upstreamPorts);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                var client = server.accept();
                var upstream = new Socket();
                upstream.connect(target, 5_000);
                sockets.add(client);
                sockets.add(upstream);
                upstreamPorts.add(upstream.getLocalPort());
                pump(client.getInputStream(), upstream.getOutputStream(), false);
                pump(upstream.getInputStream(), client.getOutputStream(), true);
            } catch (IOException e) {
                // closed, or the server refused one connection: the client sees it as such
            }
        }
    }

    private void pump(InputStream from, OutputStream to, boolean fromServer) {
        var thread = new Thread(
                () -> {
                    var buffer = new byte[16 * 1024];
                    var tail = new byte[0];
                    try {
                        int read;
                        while ((read = from.read(buffer)) >= 0) {
                            if (fromServer && armed) {
                                var window = new byte[tail.length + read];
                                System.arraycopy(tail, 0, window, 0, tail.length);
                                System.arraycopy(buffer, 0, window, tail.length, read);
                                if (contains(window, IN_TRANSACTION)) {
                                    stalled.countDown();
                                }
                                int keep = Math.min(window.length, IN_TRANSACTION.length - 1);
                                tail = java.util.Arrays.copyOfRange(window, window.length - keep, window.length);
                            }
                            if (stalled.getCount() == 0) {
                                // silence for ever, every socket left open
                                new CountDownLatch(1).await();
                            }
                            to.write(buffer, 0, read);
                            to.flush();
                        }
                    } catch (IOException e) {
                        // a side closed
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "stalling-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static boolean contains(byte[] bytes, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (var socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}

package io.imserver.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imserver.testing.ServerProcess;
import io.imserver.testing.WsClient;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pb.Input;
import pb.Output;

/**
 * Thousands of connections come and go (sign in, one heartbeat, then a close handshake or, for half of them, a
 * connection reset with no close frame): afterwards the server holds no session, and its open files and its heap
 * after a full GC are back at their level before the churn. {@code -Dim.test.churn.connections} sets how many
 * (default 3,000).
 */
class ChurnIT {
    static final int CONNECTIONS = Integer.getInteger("im.test.churn.connections", 3_000);
    static final int THREADS = 8;
    static final int USERS = 40;
    static final long APP = 1;
    /** Open files the server may hold beyond its baseline: a log roll, a pooled connection, a jar opened late. */
    static final int FD_MARGIN = 16;
    static final long HEAP_MARGIN_BYTES = 16L << 20;

    private ServerProcess server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void thousandsOfConnectsAndDisconnects_leaveNoSessionFileOrHeapBehind() throws Exception {
        server = ServerProcess.startSingle("churn-" + System.nanoTime(), null);
        server.admin().putApp(APP, "churn");
        var tokens = new ConcurrentHashMap<Long, String>();
        for (long u = 1; u <= USERS; u++) {
            server.admin().putUser(APP, u, "u" + u);
            tokens.put(u, server.admin().token(APP, u, 1, 3600));
        }
        int port = Integer.parseInt(server.wsUrl().replaceAll(".*:(\\d+)/ws", "$1"));
        churn(port, tokens, 300); // warm-up: classes loaded, pools and buffers at their working size
        var before = settle();
        long started = System.nanoTime();
        var outcome = churn(port, tokens, CONNECTIONS);
        long millis = (System.nanoTime() - started) / 1_000_000;
        var after = settle();
        System.out.printf("ChurnIT: %d connections (%d closed with a close frame, %d reset) in %d ms; open files %d"
                + " -> %d; heap after GC %.1f -> %.1f MiB; sessions %d%n", CONNECTIONS, outcome.get("closed"),
                outcome.get("reset"), millis, before.openFiles(), after.openFiles(), before.heapBytes() / 1048576.0,
                after.heapBytes() / 1048576.0, after.sessions());
        assertThat(outcome.get("signed")).as("connections signed in and answered a heartbeat").isEqualTo(CONNECTIONS);
        assertThat(after.sessions()).as("sessions left").isZero();
        assertThat(after.openFiles()).as("open files").isLessThanOrEqualTo(before.openFiles() + FD_MARGIN);
        assertThat(after.heapBytes()).as("heap after GC").isLessThan(before.heapBytes() + HEAP_MARGIN_BYTES);
    }

    record Level(int sessions, int openFiles, double heapBytes) {
    }

    /**
     * Waits up to 10 s until no session is left, runs a full GC in the server, and reads its open files and used heap.
     * Sessions still open after the wait are counted, not failed here: the caller reports them with the other figures.
     */
    private Level settle() throws Exception {
        int sessions;
        try {
            sessions = await("no session left").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> (int) metric("im_connections"), n -> n == 0);
        } catch (ConditionTimeoutException e) {
            sessions = (int) metric("im_connections");
        }
        var jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        var gc = new ProcessBuilder(jcmd, Long.toString(server.pid()), "GC.run").redirectErrorStream(true).start();
        assertThat(gc.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(gc.exitValue()).as(new String(gc.getInputStream().readAllBytes())).isZero();
        return new Level(sessions, server.openFiles(), metric("jvm_memory_used_bytes\\{area=\"heap\""));
    }

    /** The sum of a Prometheus metric's samples whose line starts with {@code prefix} (a regex). */
    private double metric(String prefix) {
        var text = server.admin().call("GET", "/metrics", null, null).text();
        var line = Pattern.compile("^" + prefix + ".*? ([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(text);
        double sum = 0;
        boolean any = false;
        while (line.find()) {
            sum += Double.parseDouble(line.group(1));
            any = true;
        }
        assertThat(any).as("metric %s in /metrics", prefix).isTrue();
        return sum;
    }

    /** Opens, signs in, heartbeats and drops {@code count} connections from a few threads. */
    private static Map<String, Integer> churn(int port, Map<Long, String> tokens, int count) throws Exception {
        var next = new AtomicInteger();
        var signed = new AtomicInteger();
        var closed = new AtomicInteger();
        var reset = new AtomicInteger();
        var pool = Executors.newFixedThreadPool(THREADS);
        var failures = new ArrayList<java.util.concurrent.Future<?>>();
        for (int t = 0; t < THREADS; t++) {
            long user = t + 1;
            failures.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    // each thread has users of its own: a sign-in never kicks another thread's connection
                    long u = user + THREADS * (i % (USERS / THREADS));
                    try (var ws = RawWebSocket.open(port)) {
                        var sign = ws.request(Input.newBuilder().setType("sign")
                                .addAuth(WsClient.auth(APP, u, 1, tokens.get(u))).build());
                        var beat = ws.request(Input.newBuilder().setType("heartbeat").build());
                        if (sign.getCode() == 200 && beat.getCode() == 200) {
                            signed.incrementAndGet();
                        }
                        if (i % 2 == 0) {
                            ws.closeHandshake();
                            closed.incrementAndGet();
                        } else {
                            ws.reset();
                            reset.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        pool.shutdown();
        for (var f : failures) {
            f.get(120, TimeUnit.SECONDS);
        }
        return Map.of("signed", signed.get(), "closed", closed.get(), "reset", reset.get());
    }

    /**
     * A bare WebSocket client over a plain socket: cheap enough for thousands of connections in a few seconds, and
     * able to vanish without a close frame ({@link #reset()}).
     */
    private static final class RawWebSocket implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        private RawWebSocket(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static RawWebSocket open(int port) throws IOException {
            var socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            socket.setTcpNoDelay(true);
            var ws = new RawWebSocket(socket);
            ws.out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            var head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) ws.in.readUnsignedByte());
            }
            if (!head.toString().startsWith("HTTP/1.1 101")) {
                throw new IOException("no upgrade: " + head);
            }
            return ws;
        }

        Output request(Input input) throws IOException {
            writeFrame(0x2, input.toByteArray());
            while (true) {
                int opcode = in.readUnsignedByte() & 0x0f;
                int len = in.readUnsignedByte() & 0x7f;
                long length = len == 126 ? in.readUnsignedShort() : len == 127 ? in.readLong() : len;
                var payload = new byte[(int) length];
                in.readFully(payload);
                if (opcode == 0x2) {
                    return Output.parseFrom(payload);
                }
                if (opcode == 0x8) {
                    throw new IOException("closed by the server");
                }
            }
        }

        /** A client frame: masked, as RFC 6455 requires. */
        private void writeFrame(int opcode, byte[] payload) throws IOException {
            var mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            var frame = new java.io.ByteArrayOutputStream();
            frame.write(0x80 | opcode);
            if (payload.length < 126) {
                frame.write(0x80 | payload.length);
            } else {
                frame.write(0x80 | 126);
                frame.write(payload.length >>> 8);
                frame.write(payload.length & 0xff);
            }
            frame.write(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.write(payload[i] ^ mask[i % 4]);
            }
            out.write(frame.toByteArray());
            out.flush();
        }

        /** Close frame 1000, then wait for the server's close (or its end of the connection). */
        void closeHandshake() throws IOException {
            writeFrame(0x8, new byte[] {0x03, (byte) 0xe8});
            try {
                while (in.read() >= 0) {
                    // the server's close frame, then the end of the stream
                }
            } catch (IOException e) {
                // reset after the close: gone either way
            }
        }

        /** Vanishes: a TCP reset, no close frame. */
        void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

}

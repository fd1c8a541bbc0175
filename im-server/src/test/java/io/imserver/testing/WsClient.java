package io.imserver.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import pb.Auth;
import pb.Input;
import pb.Output;

/**
 * A real WebSocket client speaking the protobuf protocol (the JDK's WebSocket), for integration tests. Every
 * {@code Output} received is queued; {@link #request} sends an {@code Input} and waits for the reply of its type.
 */
public final class WsClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final WebSocket socket;
    private final BlockingQueue<Output> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final List<Output> skipped = new ArrayList<>();

    private WsClient(WebSocket socket) {
        this.socket = socket;
    }

    public static WsClient connect(String url) {
        return connect(HttpClient.newHttpClient(), url);
    }

    /** Connects from this local address (any 127.0.0.x works on loopback): to look like another client host. */
    public static WsClient connect(String url, java.net.InetAddress localAddress) {
        return connect(HttpClient.newBuilder().localAddress(localAddress).build(), url);
    }

    private static WsClient connect(HttpClient http, String url) {
        var listener = new Listener();
        var socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT)
                .buildAsync(URI.create(url), listener).join();
        var client = new WsClient(socket);
        listener.client.complete(client);
        return client;
    }

    private static final class Listener implements WebSocket.Listener {
        final CompletableFuture<WsClient> client = new CompletableFuture<>();
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            var bytes = new byte[data.remaining()];
            data.get(bytes);
            partial.writeBytes(bytes);
            if (last) {
                try {
                    client.join().received.add(Output.parseFrom(partial.toByteArray()));
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException("server sent a frame that is not an Output", e);
                } finally {
                    partial.reset();
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            client.join().closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            client.join().closed.complete("error " + error);
        }
    }

    public void sendRaw(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    public void send(String type, MessageLite data, Auth... auth) {
        var input = Input.newBuilder().setType(type);
        if (data != null) {
            input.setData(data.toByteString());
        }
        for (var a : auth) {
            input.addAuth(a);
        }
        sendRaw(input.build().toByteArray());
    }

    /** Sends and waits for the reply with the same type (other outputs stay queued for {@link #next}). */
    public Output request(String type, MessageLite data, Auth... auth) {
        send(type, data, auth);
        return awaitType(type);
    }

    public Output sign(long appId, long userId, long deviceId, String token) {
        var reply = request("sign", null, auth(appId, userId, deviceId, token));
        if (reply.getCode() != 200) {
            throw new AssertionError("sign failed: " + reply.getCode() + " " + reply.getMessage());
        }
        return reply;
    }

    public static Auth auth(long appId, long userId, long deviceId, String token) {
        return Auth.newBuilder().setAppId(appId).setUserId(userId).setDeviceId(deviceId).setToken(token).build();
    }

    /** The next output of this type; outputs of other types received meanwhile are kept, in order. */
    public Output awaitType(String type) {
        for (int i = 0; i < skipped.size(); i++) {
            if (skipped.get(i).getType().equals(type)) {
                return skipped.remove(i);
            }
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            var out = poll(deadline);
            if (out == null) {
                throw new AssertionError("no '" + type + "' output within " + TIMEOUT + "; got " + skipped);
            }
            if (out.getType().equals(type)) {
                return out;
            }
            skipped.add(out);
        }
    }

    /**
     * The next output of this type, or null when the connection closed (or {@code wait} passed) without one: what a
     * client sees of a server that died under its request.
     */
    public Output awaitTypeOrClose(String type, Duration wait) {
        for (int i = 0; i < skipped.size(); i++) {
            if (skipped.get(i).getType().equals(type)) {
                return skipped.remove(i);
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            var out = poll(Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100)));
            if (out == null) {
                if (closed.isDone() && received.isEmpty()) {
                    return null;
                }
            } else if (out.getType().equals(type)) {
                return out;
            } else {
                skipped.add(out);
            }
        }
        return null;
    }

    /** The next output of any type, or null if none arrives within {@code wait}. */
    public Output next(Duration wait) {
        if (!skipped.isEmpty()) {
            return skipped.remove(0);
        }
        return poll(System.nanoTime() + wait.toNanos());
    }

    /** Asserts that no output of this type arrives within {@code wait}. */
    public void assertNoOutput(String type, Duration wait) {
        for (var out : skipped) {
            if (out.getType().equals(type)) {
                throw new AssertionError("unexpected '" + type + "' output: " + out);
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        Output out;
        while ((out = poll(deadline)) != null) {
            if (out.getType().equals(type)) {
                throw new AssertionError("unexpected '" + type + "' output: " + out);
            }
            skipped.add(out);
        }
    }

    private Output poll(long deadlineNanos) {
        try {
            return received.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the server closes the connection; returns "status reason". */
    public String awaitClose(Duration wait) {
        try {
            return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("connection not closed within " + wait, e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public static <T> T parse(Output out, com.google.protobuf.Parser<T> parser) {
        try {
            return parser.parseFrom(out.getData());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("reply data is not the expected message", e);
        }
    }

    public static ByteString bytes(MessageLite m) {
        return m.toByteString();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}

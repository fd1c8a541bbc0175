package io.imserver.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A webhook endpoint on loopback (JDK HttpServer) that records every call. It answers after-events with
 * {@link #status} (503 makes the server retry) and before-send calls with {@link #beforeSend}'s answer after
 * {@link #beforeSendDelay}.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One received call. */
    public record Call(String event, String deliveryId, String signature, String timestamp, byte[] body, JsonNode json,
                       int answered) {
    }

    private final HttpServer server;
    private final List<Call> calls = new ArrayList<>();
    public volatile int status = 200;
    public volatile Duration beforeSendDelay = Duration.ZERO;
    public volatile Function<JsonNode, String> beforeSend = request -> "{\"allow\":true}";

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/hook", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private void handle(HttpExchange exchange) throws IOException {
        var body = exchange.getRequestBody().readAllBytes();
        var h = exchange.getRequestHeaders();
        var event = h.getFirst("X-IM-Event");
        int code = "message.before_send".equals(event) ? 200 : status;
        var call = new Call(event, h.getFirst("X-IM-Delivery-Id"), h.getFirst("X-IM-Signature"),
                h.getFirst("X-IM-Timestamp"), body, JSON.readTree(body), code);
        synchronized (calls) {
            calls.add(call);
            calls.notifyAll();
        }
        byte[] answer;
        if ("message.before_send".equals(call.event())) {
            try {
                Thread.sleep(beforeSendDelay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer = beforeSend.apply(call.json()).getBytes(StandardCharsets.UTF_8);
        } else {
            answer = new byte[0];
        }
        try {
            exchange.sendResponseHeaders(code, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        } catch (IOException e) {
            // the server gave up waiting (a before-send timeout): nothing to answer
        } finally {
            exchange.close();
        }
    }

    /** Calls so far. */
    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Calls of this event answered with 2xx (delivered), in arrival order. */
    public static List<Call> delivered(List<Call> calls, String event) {
        return calls.stream().filter(c -> event.equals(c.event()) && c.answered() / 100 == 2).toList();
    }

    /** Waits until {@code done} holds for the calls so far; fails after {@code timeout}. */
    public List<Call> await(Predicate<List<Call>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (calls) {
            while (!done.test(List.copyOf(calls))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("webhook calls not as expected within " + timeout + ": " + calls.stream()
                            .map(c -> c.event() + " " + new String(c.body(), StandardCharsets.UTF_8)).toList());
                }
                try {
                    calls.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return List.copyOf(calls);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

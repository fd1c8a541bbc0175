package io.imserver.messaging.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.imserver.auth.Identity;
import io.imserver.messaging.SendGate;
import io.imserver.protocol.ErrorCode;
import io.imserver.protocol.ImException;
import io.imserver.store.Webhook;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import pb.SendMessage;

/**
 * The before-send hook: for an app whose webhook has {@code before_send}, each user message is POSTed to the webhook
 * ({@code message.before_send}, signed like every call) and stored only if the answer, within the app's timeout, is
 * {@code 200} with {@code {"allow": true}} (or no {@code allow}). {@code {"allow": false, "reason": "..."}} refuses it:
 * the sender gets {@link ErrorCode#REJECTED} with the reason. No answer in time, a non-2xx status or an unreadable
 * answer lets the message through when the webhook is fail-open, and refuses it (451) when fail-closed.
 *
 * <p>One sender device's messages are asked about one at a time and queued for storage in their order.
 *
 * @implNote The app's setting comes from {@link WebhookSettings}' cache (5 s); a miss reads it on the calling thread
 * (for WebSocket sends, the connection's event loop): one small read per app every 5 s. The HTTP call itself never
 * blocks the caller.
 */
public final class BeforeSendGate implements SendGate {
    private record Verdict(boolean allowed, String reason) {
    }

    private final WebhookSettings settings;
    private final HttpClient http;
    private final Clock clock;
    private final ConcurrentHashMap<Identity, CompletableFuture<Void>> turns = new ConcurrentHashMap<>();

    public BeforeSendGate(WebhookSettings settings, HttpClient http, Clock clock) {
        this.settings = settings;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public <T> CompletableFuture<T> admit(Identity from, SendMessage request, Supplier<CompletableFuture<T>> store) {
        var hook = settings.cached(from.appId()).filter(Webhook::beforeSend);
        if (hook.isEmpty()) {
            return store.get();
        }
        var result = new CompletableFuture<T>();
        var turn = new CompletableFuture<Void>();
        var previous = turns.put(from, turn);
        (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
                .thenCompose(ready -> ask(hook.get(), from, request))
                .whenComplete((verdict, failure) -> {
                    try {
                        var v = failure == null ? verdict : failed(hook.get(), failure);
                        if (v.allowed()) {
                            store.get().whenComplete((stored, e) -> {
                                if (e == null) {
                                    result.complete(stored);
                                } else {
                                    result.completeExceptionally(e);
                                }
                            });
                        } else {
                            result.completeExceptionally(new ImException(ErrorCode.REJECTED, v.reason()));
                        }
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    } finally {
                        // the write is queued (or refused): the device's next message may go
                        turn.complete(null);
                        turns.remove(from, turn);
                    }
                });
        return result;
    }

    private static Verdict failed(Webhook hook, Throwable failure) {
        if (hook.failOpen()) {
            return new Verdict(true, "");
        }
        var cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        var why = cause instanceof java.util.concurrent.TimeoutException
                || cause instanceof java.net.http.HttpTimeoutException
                ? "no answer within " + hook.beforeSendTimeoutMs() + " ms" : String.valueOf(cause.getMessage());
        return new Verdict(false, "before-send hook failed and the app refuses messages then (fail-closed): " + why);
    }

    private CompletableFuture<Verdict> ask(Webhook hook, Identity from, SendMessage message) {
        long now = clock.millis();
        var body = WebhookPayloads.event(WebhookEvents.BEFORE_SEND, from.appId(), now)
                .put("user_id", from.userId()).put("device_id", from.deviceId());
        var bytes = WebhookPayloads.text(WebhookPayloads.with(body, "message", message))
                .getBytes(StandardCharsets.UTF_8);
        var request = HttpRequest.newBuilder(URI.create(hook.url()))
                .timeout(Duration.ofMillis(hook.beforeSendTimeoutMs()))
                .header("Content-Type", "application/json")
                .header(WebhookSigner.SIGNATURE_HEADER, WebhookSigner.sign(hook.secret(), bytes))
                .header(WebhookSigner.EVENT_HEADER, WebhookEvents.BEFORE_SEND)
                .header(WebhookSigner.DELIVERY_HEADER, UUID.randomUUID().toString())
                .header(WebhookSigner.TIMESTAMP_HEADER, Long.toString(now))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .orTimeout(hook.beforeSendTimeoutMs(), TimeUnit.MILLISECONDS)
                .thenApply(BeforeSendGate::verdict);
    }

    private static Verdict verdict(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("before-send hook answered HTTP " + response.statusCode());
        }
        if (response.body().isBlank()) {
            return new Verdict(true, "");
        }
        JsonNode answer;
        try {
            answer = WebhookPayloads.json().readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("before-send hook answered no JSON: " + e.getMessage(), e);
        }
        var allow = answer.get("allow");
        if (allow == null || allow.asBoolean(true)) {
            return new Verdict(true, "");
        }
        var reason = answer.path("reason").asText("");
        return new Verdict(false, reason.isEmpty() ? "refused by the app's before-send hook" : reason);
    }
}

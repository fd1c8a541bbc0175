package io.imserver.messaging.webhook;

import io.imserver.store.OutboxEvent;
import io.imserver.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox: at least once, in order per order key, with exponential backoff, across restarts and with
 * several nodes on one database.
 *
 * <p>Every {@code pollInterval} it reads due events (the oldest waiting event of each key), claims them for this node
 * for a lease (a conditional UPDATE that only one node wins), and POSTs each to its app's webhook with
 * {@code X-IM-Signature}, {@code X-IM-Delivery-Id} (the outbox id), {@code X-IM-Event} and {@code X-IM-Timestamp}.
 * A 2xx answer removes the event; anything else schedules attempt n+1 after {@code min(backoffBase * 2^(n-1),
 * backoffMax)}, and the key's later events wait. Events are never dropped, except when the app's webhook was deleted.
 * A node that dies mid-delivery leaves a lease (request timeout + 5 s) that runs out, and the event goes out again
 * (hence at least once); a node that closes first lets its deliveries in flight finish.
 */
public final class OutboxDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
    /** A claim outlives the request timeout by this much, so that only a dead node's claims run out. */
    private static final long LEASE_MARGIN_MS = 5_000;
    /** On close, how long deliveries in flight may still finish (and record their outcome). */
    private static final long CLOSE_GRACE_MS = 3_000;

    /**
     * Dispatch settings. Defaults ({@link #DEFAULTS}): poll every 200 ms, backoff 250 ms doubling up to 60 s,
     * request timeout 10 s, at most 64 deliveries in flight.
     */
    public record Settings(Duration pollInterval, Duration backoffBase, Duration backoffMax, Duration requestTimeout,
                           int maxInFlight) {
        public static final Settings DEFAULTS = new Settings(Duration.ofMillis(200), Duration.ofMillis(250),
                Duration.ofSeconds(60), Duration.ofSeconds(10), 64);

        public Settings {
            requirePositive("webhookPollInterval", pollInterval);
            requirePositive("webhookBackoffBase", backoffBase);
            requirePositive("webhookBackoffMax", backoffMax);
            requirePositive("webhookTimeout", requestTimeout);
            if (backoffMax.compareTo(backoffBase) < 0) {
                throw new IllegalArgumentException("webhookBackoffMax: " + backoffMax + " (expected: >= "
                        + backoffBase + ", the backoff base)");
            }
            if (maxInFlight <= 0) {
                throw new IllegalArgumentException("webhookMaxInFlight: " + maxInFlight + " (expected: > 0)");
            }
        }

        /** These settings with another request timeout and longest backoff. */
        public Settings with(Duration timeout, Duration maxBackoff) {
            return new Settings(pollInterval, backoffBase, maxBackoff, timeout, maxInFlight);
        }

        private static void requirePositive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
            }
        }
    }

    private final Store store;
    private final WebhookSettings webhooks;
    private final HttpClient http;
    private final Clock clock;
    private final Settings settings;
    private final String node = UUID.randomUUID().toString();
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("webhook-outbox").daemon(true).unstarted(r));

    public OutboxDispatcher(Store store, WebhookSettings webhooks, HttpClient http, Clock clock, Settings settings) {
        this.store = store;
        this.webhooks = webhooks;
        this.http = http;
        this.clock = clock;
        this.settings = settings;
    }

    public void start() {
        long period = settings.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::pollSafely, period, period, TimeUnit.MILLISECONDS);
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            log.warn("webhook outbox poll failed (retried in {} ms): {}", settings.pollInterval().toMillis(),
                    e.getMessage());
        }
    }

    private void poll() {
        int room = settings.maxInFlight() - inFlight.size();
        if (room <= 0) {
            return;
        }
        long now = clock.millis();
        var due = store.read(tx -> tx.webhooks().due(now, room)).stream()
                .filter(e -> !inFlight.contains(e.id())).toList();
        if (due.isEmpty()) {
            return;
        }
        long leaseUntil = now + settings.requestTimeout().toMillis() + LEASE_MARGIN_MS;
        List<OutboxEvent> claimed = store.write(tx -> due.stream()
                .filter(e -> tx.webhooks().claim(e.id(), node, leaseUntil, now)).toList()).join();
        for (var event : claimed) {
            inFlight.add(event.id());
            deliver(event);
        }
    }

    private void deliver(OutboxEvent event) {
        var hook = webhooks.cached(event.appId());
        if (hook.isEmpty()) {
            log.warn("app {} has no webhook any more: event {} ({}) dropped", event.appId(), event.id(), event.event());
            finish(event, true, "");
            return;
        }
        var body = event.payload().getBytes(StandardCharsets.UTF_8);
        var request = HttpRequest.newBuilder(URI.create(hook.get().url()))
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header(WebhookSigner.SIGNATURE_HEADER, WebhookSigner.sign(hook.get().secret(), body))
                .header(WebhookSigner.DELIVERY_HEADER, Long.toString(event.id()))
                .header(WebhookSigner.EVENT_HEADER, event.event())
                .header(WebhookSigner.TIMESTAMP_HEADER, Long.toString(clock.millis()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, e) -> {
            if (e == null && response.statusCode() / 100 == 2) {
                finish(event, true, "");
            } else {
                finish(event, false, e != null ? String.valueOf(e.getMessage()) : "HTTP " + response.statusCode());
            }
        });
    }

    private void finish(OutboxEvent event, boolean delivered, String error) {
        int attempts = event.attempts() + 1;
        long retryAt = clock.millis() + backoff(attempts);
        store.write(tx -> {
            if (delivered) {
                tx.webhooks().delivered(event.id());
            } else {
                tx.webhooks().retryLater(event.id(), attempts, retryAt, error);
            }
            return null;
        }).whenComplete((ok, e) -> {
            inFlight.remove(event.id());
            if (e != null) {
                log.warn("could not record the outcome of webhook event {} (its lease runs out, then it is sent"
                        + " again): {}", event.id(), e.getMessage());
            } else if (!delivered) {
                log.debug("webhook event {} of app {} failed (attempt {}): {}", event.id(), event.appId(), attempts,
                        error);
            }
        });
    }

    /** Delay before attempt {@code attempts + 1}: base * 2^(attempts-1), at most the maximum. */
    long backoff(int attempts) {
        long base = settings.backoffBase().toMillis();
        int shift = Math.min(attempts - 1, 30);
        return Math.min(base << shift, settings.backoffMax().toMillis());
    }

    /**
     * Stops polling and lets deliveries in flight finish for up to 3 s, so that their outcome is recorded and their
     * claim released (a restarted node then resends at once); a claim still open after that runs out by itself.
     */
    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(2, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MS);
            while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!inFlight.isEmpty()) {
            log.info("{} webhook deliveries still in flight at close; their claims run out within {} ms",
                    inFlight.size(), settings.requestTimeout().toMillis() + LEASE_MARGIN_MS);
        }
    }
}

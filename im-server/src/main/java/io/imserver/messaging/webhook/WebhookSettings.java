package io.imserver.messaging.webhook;

import io.imserver.auth.TokenService;
import io.imserver.protocol.ImException;
import io.imserver.store.Store;
import io.imserver.store.StoreTx;
import io.imserver.store.Webhook;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each app's webhook, as the admin API sets it, and a cache of it for the send path.
 *
 * <p>Defaults: events = every after-event, before-send off, before-send timeout 2,000 ms, fail-open. The cache keeps
 * an app's setting for {@link #CACHE_TTL} (5 s): a change made through another node shows here within that time;
 * through this node, at once.
 */
public final class WebhookSettings {
    public static final Duration CACHE_TTL = Duration.ofSeconds(5);
    public static final long DEFAULT_BEFORE_SEND_TIMEOUT_MS = 2_000;
    public static final long MAX_BEFORE_SEND_TIMEOUT_MS = 30_000;

    private record Cached(Optional<Webhook> webhook, long expiresAtMs) {
    }

    private final Store store;
    private final Clock clock;
    private final ConcurrentHashMap<Long, Cached> cache = new ConcurrentHashMap<>();
    /** Whether any app has a webhook, as of {@link #anyCheckedUntilMs} - TTL; true until first checked. */
    private volatile boolean any = true;
    private volatile long anyCheckedUntilMs;

    public WebhookSettings(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Creates or replaces the app's webhook. {@code secret} null or empty: a new random one (an existing secret is
     * kept); {@code events} empty: every after-event; {@code beforeSendTimeoutMs} 0: 2,000.
     */
    public Webhook put(long appId, String url, String secret, List<String> events, boolean beforeSend,
                       long beforeSendTimeoutMs, boolean failOpen) {
        requireHttpUrl(url);
        var kinds = new HashSet<String>();
        for (var e : events) {
            if (!WebhookEvents.AFTER.contains(e)) {
                throw ImException.invalid("events: " + e + " (expected: some of " + WebhookEvents.AFTER + ")");
            }
            kinds.add(e);
        }
        if (kinds.isEmpty()) {
            kinds.addAll(WebhookEvents.AFTER);
        }
        long timeout = beforeSendTimeoutMs == 0 ? DEFAULT_BEFORE_SEND_TIMEOUT_MS : beforeSendTimeoutMs;
        if (timeout < 0 || timeout > MAX_BEFORE_SEND_TIMEOUT_MS) {
            throw ImException.invalid("before_send_timeout_ms: " + beforeSendTimeoutMs + " (expected: 1-"
                    + MAX_BEFORE_SEND_TIMEOUT_MS + ", or 0 for " + DEFAULT_BEFORE_SEND_TIMEOUT_MS + ")");
        }
        if (secret != null && !secret.isEmpty()) {
            ImException.requireNoNul("secret", secret);
            if (secret.length() < 16) {
                throw ImException.invalid("secret: " + secret.length() + " characters (expected: >= 16)");
            }
        }
        long now = clock.millis();
        var saved = store.write(tx -> {
            if (tx.apps().find(appId).isEmpty()) {
                throw ImException.notFound("app " + appId + " does not exist");
            }
            var existing = tx.webhooks().find(appId);
            var useSecret = secret != null && !secret.isEmpty() ? secret
                    : existing.map(Webhook::secret).orElseGet(TokenService::newSecret);
            return tx.webhooks().put(new Webhook(appId, url, useSecret, kinds, beforeSend, timeout, failOpen,
                    existing.map(Webhook::createdAt).orElse(now), now));
        }).join();
        cache.remove(appId);
        any = true;
        return saved;
    }

    public Webhook get(long appId) {
        return store.read(tx -> tx.webhooks().find(appId))
                .orElseThrow(() -> ImException.notFound("app " + appId + " has no webhook"));
    }

    public void delete(long appId) {
        boolean existed = store.write(tx -> tx.webhooks().delete(appId)).join();
        cache.remove(appId);
        if (!existed) {
            throw ImException.notFound("app " + appId + " has no webhook");
        }
    }

    /**
     * Whether any app has a webhook, read inside a write when the answer is older than the TTL: while none has, the
     * send path records nothing and wraps nothing.
     */
    boolean anyConfigured(StoreTx tx) {
        long now = clock.millis();
        if (now >= anyCheckedUntilMs) {
            any = tx.webhooks().any();
            anyCheckedUntilMs = now + CACHE_TTL.toMillis();
        }
        return any;
    }

    /**
     * False only when the cache already knows that the app does not want {@code event} (no read): lets callers skip
     * queuing a write for nothing.
     */
    boolean mayWant(long appId, String event) {
        long now = clock.millis();
        if (!any && now < anyCheckedUntilMs) {
            return false;
        }
        var hit = cache.get(appId);
        return hit == null || hit.expiresAtMs() <= now || hit.webhook().filter(w -> w.wants(event)).isPresent();
    }

    /** The app's webhook through the cache, read on a read connection when missing or stale. */
    Optional<Webhook> cached(long appId) {
        var hit = cache.get(appId);
        if (hit != null && hit.expiresAtMs() > clock.millis()) {
            return hit.webhook();
        }
        var loaded = store.read(tx -> tx.webhooks().find(appId));
        cache.put(appId, new Cached(loaded, clock.millis() + CACHE_TTL.toMillis()));
        return loaded;
    }

    /** The same, read inside a write (the writer's own transaction) when missing or stale. */
    Optional<Webhook> cached(StoreTx tx, long appId) {
        var hit = cache.get(appId);
        if (hit != null && hit.expiresAtMs() > clock.millis()) {
            return hit.webhook();
        }
        var loaded = tx.webhooks().find(appId);
        cache.put(appId, new Cached(loaded, clock.millis() + CACHE_TTL.toMillis()));
        return loaded;
    }

    private static void requireHttpUrl(String url) {
        if (url == null || url.isBlank()) {
            throw ImException.invalid("url: '" + url + "' (expected: an http or https URL)");
        }
        try {
            var uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw ImException.invalid("url: " + url + " (expected: an http or https URL)");
            }
        } catch (URISyntaxException e) {
            throw ImException.invalid("url: " + url + " (expected: an http or https URL)");
        }
    }
}

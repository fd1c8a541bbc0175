package io.imserver.store;

import java.util.List;
import java.util.Optional;

/** Webhook settings per app, and the outbox of events waiting for delivery. */
public interface WebhookRepository {
    Optional<Webhook> find(long appId);

    /** Creates or replaces the app's webhook; {@code createdAt} of an existing one is kept. */
    Webhook put(Webhook webhook);

    /** @return whether there was one */
    boolean delete(long appId);

    /** Whether any app has a webhook. */
    boolean any();

    /** Adds an event to the outbox (its id is assigned). */
    void append(long appId, String event, String orderKey, String payload, long nowMs);

    /**
     * Events due at {@code nowMs}, unclaimed, and first of their order key (nothing older of that key waits), oldest
     * first.
     */
    List<OutboxEvent> due(long nowMs, int limit);

    /** Claims a due event for {@code node} until {@code leaseUntilMs}. @return false when another node got it first */
    boolean claim(long id, String node, long leaseUntilMs, long nowMs);

    /** The event was delivered: it leaves the outbox. */
    void delivered(long id);

    /** The delivery failed: retry at {@code nextAttemptAtMs}; the claim is released. */
    void retryLater(long id, int attempts, long nextAttemptAtMs, String error);

    /** Events still waiting for delivery. */
    long pending();
}

package io.imserver.store;

/**
 * An after-event waiting in the durable outbox. Events of one app and {@code orderKey} (a conversation, a group, a
 * device) are delivered one at a time in {@code id} order. {@code payload} is the JSON body sent. Times are Unix ms.
 */
public record OutboxEvent(long id, long appId, String event, String orderKey, String payload, long createdAt,
                          int attempts) {
}

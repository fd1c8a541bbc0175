package io.imserver.store;

import java.util.Set;

/**
 * An app's webhook: after-events of the kinds in {@code events} are POSTed to {@code url}, signed with {@code secret};
 * with {@code beforeSend}, every user message is first offered to the URL and waits up to {@code beforeSendTimeoutMs};
 * {@code failOpen}: a failing or silent hook lets the message through (else it is refused). Times are Unix ms.
 */
public record Webhook(long appId, String url, String secret, Set<String> events, boolean beforeSend,
                      long beforeSendTimeoutMs, boolean failOpen, long createdAt, long updatedAt) {

    public Webhook {
        events = Set.copyOf(events);
    }

    public boolean wants(String event) {
        return events.contains(event);
    }
}

package io.imserver.messaging.webhook;

import java.util.Set;

/** Names of the webhook events (the {@code X-IM-Event} header and the body's {@code event}). */
public final class WebhookEvents {
    /** Synchronous, before a user's message is stored; the answer decides. */
    public static final String BEFORE_SEND = "message.before_send";
    public static final String MESSAGE_STORED = "message.stored";
    public static final String MESSAGE_RECALLED = "message.recalled";
    public static final String MESSAGE_READ = "message.read";
    /** A stored message whose recipients (listed) had no signed-in device: for APNs/FCM. */
    public static final String MESSAGE_OFFLINE = "message.offline";
    public static final String GROUP_CHANGED = "group.changed";
    public static final String DEVICE_ONLINE = "device.online";
    public static final String DEVICE_OFFLINE = "device.offline";

    /** Every after-event, delivered through the outbox. */
    public static final Set<String> AFTER = Set.of(MESSAGE_STORED, MESSAGE_RECALLED, MESSAGE_READ, MESSAGE_OFFLINE,
            GROUP_CHANGED, DEVICE_ONLINE, DEVICE_OFFLINE);

    private WebhookEvents() {
    }
}

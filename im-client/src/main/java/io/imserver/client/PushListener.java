package io.imserver.client;

import pb.Output;

/**
 * Receives every server push: an {@code Output} that is not the reply to a request of this client, e.g. type
 * {@code message} (data: {@code MessageItem}) or {@code kick}. Called on the client's event-loop thread, in arrival
 * order: return quickly and never block.
 */
@FunctionalInterface
public interface PushListener {
    void onPush(ImClient client, Output push);
}

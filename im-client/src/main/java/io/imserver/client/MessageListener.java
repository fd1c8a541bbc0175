package io.imserver.client;

import pb.MessageItem;

/**
 * Receives {@code message} pushes (a new message for this user), already parsed. Called on the client's event-loop
 * thread, in arrival order: return quickly and never block.
 */
@FunctionalInterface
public interface MessageListener {
    void onMessage(ImClient client, MessageItem message);
}

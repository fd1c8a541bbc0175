package io.imserver.cluster;

import java.util.function.Consumer;

/**
 * Events every node of a cluster hears, such as "this app or user changed": each node drops what it cached of it.
 * A single node needs none ({@link #NONE}): its caches change with its own writes.
 */
public interface ClusterEvents {
    /** No other node: nothing is sent, nothing arrives. */
    ClusterEvents NONE = new ClusterEvents() {
        @Override
        public void publish(String event) {
        }

        @Override
        public void subscribe(Consumer<String> listener) {
        }
    };

    /** Sends {@code event} to every node, this one included. */
    void publish(String event);

    /** Calls {@code listener} with each event published by any node. */
    void subscribe(Consumer<String> listener);
}

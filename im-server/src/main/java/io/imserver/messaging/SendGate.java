package io.imserver.messaging;

import io.imserver.auth.Identity;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import pb.SendMessage;

/**
 * Decides, before a user's message is stored, whether it may be: the place for an app's before-send hook.
 * {@link #OPEN} admits everything at once (the send path without a hook is unchanged).
 */
public interface SendGate {
    SendGate OPEN = new SendGate() {
        @Override
        public <T> CompletableFuture<T> admit(Identity from, SendMessage request, Supplier<CompletableFuture<T>> store) {
            return store.get();
        }
    };

    /**
     * Runs {@code store} (which queues the write) once the message is admitted, or completes exceptionally with
     * the refusal. An implementation that waits must keep one sender device's messages in their order.
     */
    <T> CompletableFuture<T> admit(Identity from, SendMessage request, Supplier<CompletableFuture<T>> store);
}

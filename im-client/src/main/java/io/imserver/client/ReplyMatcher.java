package io.imserver.client;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import pb.Output;

/**
 * Matches replies to requests: the server answers a connection's requests of one type in the order they were sent
 * (commands run one at a time in arrival order; {@code heartbeat} is answered at once, so also in order), so the
 * oldest open request of a type takes the next {@code Output} of that type. An {@code Output} whose type has no open
 * request is a push.
 *
 * <p>A request that timed out keeps its place in the queue (its future already failed): the late reply still
 * belongs to it, and must not be handed to the next request of the same type. Not thread-safe: used on the client's
 * event loop only.
 */
final class ReplyMatcher {
    private final Map<String, ArrayDeque<CompletableFuture<Output>>> open = new HashMap<>();
    private int size;

    /** Registers a request of {@code type} just before it is written; {@code future} completes with the reply. */
    void register(String type, CompletableFuture<Output> future) {
        open.computeIfAbsent(type, t -> new ArrayDeque<>()).add(future);
        size++;
    }

    /**
     * Hands {@code output} to the oldest open request of its type.
     *
     * @return true if it was a reply (even one to a request that had timed out), false if it is a push
     */
    boolean complete(Output output) {
        var queue = open.get(output.getType());
        if (queue == null || queue.isEmpty()) {
            return false;
        }
        var future = queue.poll();
        size--;
        future.complete(output);
        return true;
    }

    /** Fails every open request (the connection is gone: no reply can come any more) and forgets them. */
    void failAll(Function<String, Throwable> cause) {
        if (size == 0) {
            return;
        }
        var all = new HashMap<>(open);
        open.clear();
        size = 0;
        all.forEach((type, queue) -> queue.forEach(f -> f.completeExceptionally(cause.apply(type))));
    }

    /** Requests written and not answered yet (including timed-out ones whose reply has not come). */
    int size() {
        return size;
    }
}

package io.imserver.store;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Entry to storage. Writes are queued and committed in groups; each write's future completes only after the
 * commit that holds it is durable. Reads run on the calling thread against a read connection.
 */
public interface Store extends AutoCloseable {

    /** Work done inside a write transaction. A thrown exception rolls back this work only. */
    @FunctionalInterface
    interface Work<T> {
        T run(StoreTx tx) throws Exception;
    }

    /**
     * Queues {@code work}; {@code afterCommit} runs after the durable commit and before the future completes, on one
     * thread for all writes and in commit order, so that effects such as pushes keep the order of the writes. It
     * must not wait for another write.
     */
    default <T> CompletableFuture<T> write(Work<T> work, Consumer<? super T> afterCommit) {
        return write(work, afterCommit, java.util.List.of());
    }

    /**
     * As {@link #write(Work, Consumer)}, naming the stream heads the work will move: where nodes share the database
     * they are locked at the start of the work's batch, in {@link HeadKey} order (a hint; the work stays correct
     * without it, but two nodes moving the same heads could deadlock and retry).
     */
    default <T> CompletableFuture<T> write(Work<T> work, Consumer<? super T> afterCommit,
                                           java.util.List<HeadKey> heads) {
        return write(work, afterCommit, heads, null);
    }

    /**
     * As {@link #write(Work, Consumer, java.util.List)}, also naming the client message id whose entry the work
     * looks up ({@code null}: none): the entries of a whole batch of writes are read together at its start.
     */
    <T> CompletableFuture<T> write(Work<T> work, Consumer<? super T> afterCommit, java.util.List<HeadKey> heads,
                                   SentKey clientMsgId);

    default <T> CompletableFuture<T> write(Work<T> work) {
        return write(work, r -> { });
    }

    /** Runs {@code work} on a read connection, on the calling thread (blocking). */
    <T> T read(Work<T> work);

    /**
     * This node's version floor: every version at or below it is committed and none will be stamped again. Other
     * nodes of a cluster read it (published) to answer {@code since_version} queries without skipping a change
     * still in flight here.
     */
    long versionFloor();

    /** Drops what the store cached of users' profiles: another node changed one. */
    default void invalidateCaches() {
    }

    /** Whether the database answers a trivial query now. */
    boolean healthy();

    @Override
    void close();
}

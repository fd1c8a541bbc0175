package io.imserver.store.jdbc;

/**
 * Versions stamped on conversation and group changes: strictly increasing, close to microseconds since the epoch
 * so that they survive restarts without a counter row. Only the writer thread advances it; readers see the
 * newest version whose changes are all committed.
 *
 * @implNote A per-user counter row would cost one more UPDATE per recipient per message; one clock for the store
 * costs nothing and still grows with every change of every user's conversations.
 */
final class VersionClock {
    private long current;
    private volatile long committed;

    VersionClock(long highestStored) {
        this.current = highestStored;
        this.committed = highestStored;
    }

    /** Writer thread: the version of the next write task. */
    long advance() {
        current = Math.max(current + 1, System.currentTimeMillis() * 1000);
        return current;
    }

    /** Writer thread: the version of the write task running now. */
    long current() {
        return current;
    }

    /** Writer thread, after a commit: every version up to the current one is durable. */
    void markCommitted() {
        committed = current;
    }

    long committed() {
        return committed;
    }
}

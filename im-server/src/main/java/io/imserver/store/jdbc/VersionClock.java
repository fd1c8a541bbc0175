package io.imserver.store.jdbc;

/**
 * Versions stamped on conversation and group changes: strictly increasing, close to microseconds since the epoch
 * (shifted left by {@link #SLOT_BITS}) so that they survive restarts without a counter row. The low bits hold the
 * node's slot, so two nodes sharing a database never stamp the same version. Only the writer thread advances it;
 * readers see a floor: every version at or below it is committed, and none at or below it will be stamped again.
 *
 * @implNote A per-user counter row would cost one more UPDATE per recipient per message; one clock for the store
 *     costs nothing and still grows with every change of every user's conversations. With several nodes, each
 *     publishes its {@link #floor()} and readers answer with the lowest floor of all live nodes (see the cluster
 *     package): a database sequence would have given unique versions but not this "nothing older is in flight"
 *     guarantee, since sequence order is not commit order.
 */
final class VersionClock {
    /** Low bits of a version that name the node's slot (up to 1,024 nodes). */
    static final int SLOT_BITS = 10;
    static final int MAX_SLOT = (1 << SLOT_BITS) - 1;

    private final long slot;
    /** The last version stamped; advanced under this object's lock, read by the writer thread. */
    private long current;
    private volatile long committed;
    private boolean inFlight;

    VersionClock(long highestStored, int slot) {
        if (slot < 0 || slot > MAX_SLOT) {
            throw new IllegalArgumentException("versionSlot: " + slot + " (expected: 0-" + MAX_SLOT + ")");
        }
        this.slot = slot;
        this.current = highestStored;
        this.committed = highestStored;
    }

    /** Writer thread: the version of the next write task. */
    synchronized long advance() {
        inFlight = true;
        long tick = Math.max((current >> SLOT_BITS) + 1, System.currentTimeMillis() * 1000);
        current = (tick << SLOT_BITS) | slot;
        return current;
    }

    /** Writer thread: the version of the write task running now. */
    long current() {
        return current;
    }

    /** Writer thread, after a commit: every version up to the current one is durable. */
    synchronized void markCommitted() {
        committed = current;
        inFlight = false;
    }

    /** Writer thread, after a rollback: the versions stamped since the last commit were never written. */
    synchronized void markAborted() {
        inFlight = false;
    }

    /** The newest version whose changes, and all older ones of this node, are committed. */
    long committed() {
        return committed;
    }

    /**
     * The version below which this node has nothing in flight, moving with time while the writer is idle: every
     * version at or below it is committed, and the clock never stamps one at or below it again.
     */
    synchronized long floor() {
        if (!inFlight) {
            long tick = Math.max(current >> SLOT_BITS, System.currentTimeMillis() * 1000);
            current = Math.max(current, tick << SLOT_BITS | slot);
            committed = current;
        }
        return committed;
    }
}

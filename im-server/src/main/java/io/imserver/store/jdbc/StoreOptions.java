package io.imserver.store.jdbc;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * How a {@link JdbcStore} shares its database with other nodes. {@link #SINGLE_NODE} (the default) is one node
 * alone: it caches what it wrote across batches, and its readers see its own committed version.
 *
 * @param shared other nodes write the same database: stream heads are read with a row lock ({@code FOR UPDATE})
 *     and the writer's caches live for one batch only, so a head or membership another node changed is never used
 * @param versionSlot this node's slot (0-1023), the low bits of every version it stamps
 * @param clusterVersionFloor the lowest version floor published by the other live nodes ({@code Long.MAX_VALUE}:
 *     none); readers answer with the lower of it and this node's own
 * @param leaseValid whether this node still holds its cluster membership; a batch is not committed without it
 * @param timeout how long the database may take to answer: connecting, a statement, a write's commit. Past it the
 *     operation fails with {@code StoreUnavailableException} (the client is answered {@code SERVER_BUSY}) instead of
 *     waiting for a database that is gone
 */
public record StoreOptions(boolean shared, int versionSlot, LongSupplier clusterVersionFloor,
                           BooleanSupplier leaseValid, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final StoreOptions SINGLE_NODE = new StoreOptions(false, 0, () -> Long.MAX_VALUE, () -> true,
            DEFAULT_TIMEOUT);

    public StoreOptions {
        if (versionSlot < 0 || versionSlot > VersionClock.MAX_SLOT) {
            throw new IllegalArgumentException("versionSlot: " + versionSlot + " (expected: 0-" + VersionClock.MAX_SLOT
                    + ")");
        }
        java.util.Objects.requireNonNull(clusterVersionFloor, "clusterVersionFloor");
        java.util.Objects.requireNonNull(leaseValid, "leaseValid");
        java.util.Objects.requireNonNull(timeout, "timeout");
        // Hikari's shortest connection timeout is 250 ms
        if (timeout.toMillis() < 250) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: >= 250 ms)");
        }
    }

    /** These options with another database {@link #timeout}. */
    public StoreOptions withTimeout(Duration timeout) {
        return new StoreOptions(shared, versionSlot, clusterVersionFloor, leaseValid, timeout);
    }

    /** A node of a cluster on a shared database. */
    public static StoreOptions clusterNode(int versionSlot, LongSupplier clusterVersionFloor,
                                           BooleanSupplier leaseValid) {
        return new StoreOptions(true, versionSlot, clusterVersionFloor, leaseValid, DEFAULT_TIMEOUT);
    }
}

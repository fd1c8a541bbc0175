package io.imserver.store.jdbc;

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
 */
public record StoreOptions(boolean shared, int versionSlot, LongSupplier clusterVersionFloor,
                           BooleanSupplier leaseValid) {

    public static final StoreOptions SINGLE_NODE = new StoreOptions(false, 0, () -> Long.MAX_VALUE, () -> true);

    public StoreOptions {
        if (versionSlot < 0 || versionSlot > VersionClock.MAX_SLOT) {
            throw new IllegalArgumentException("versionSlot: " + versionSlot + " (expected: 0-" + VersionClock.MAX_SLOT
                    + ")");
        }
        java.util.Objects.requireNonNull(clusterVersionFloor, "clusterVersionFloor");
        java.util.Objects.requireNonNull(leaseValid, "leaseValid");
    }

    /** A node of a cluster on a shared database. */
    public static StoreOptions clusterNode(int versionSlot, LongSupplier clusterVersionFloor,
                                           BooleanSupplier leaseValid) {
        return new StoreOptions(true, versionSlot, clusterVersionFloor, leaseValid);
    }
}

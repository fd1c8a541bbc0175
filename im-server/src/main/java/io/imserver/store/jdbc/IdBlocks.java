package io.imserver.store.jdbc;

import io.imserver.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * Message ids for a database that several nodes share: each node reserves a block of ids in the {@code id_blocks}
 * row of its own short transaction and hands them out from memory, so no two nodes ever hand out the same id. Ids
 * are unique, not ordered across nodes: the order within a stream is its seq. Used by the writer thread only.
 *
 * @implNote Reserving inside the writer's batch transaction would hold the row's lock until the batch commits and
 *     serialize every node's batches behind it; a separate transaction holds it for one round trip.
 */
final class IdBlocks implements LongSupplier {
    static final int BLOCK_SIZE = 1_000;

    private final DataSource pool;
    private long next;
    private long end;

    IdBlocks(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public long getAsLong() {
        if (next >= end) {
            reserve();
        }
        return next++;
    }

    private void reserve() {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                var jdbc = new Jdbc(c);
                jdbc.update("UPDATE id_blocks SET next_id = next_id + ? WHERE name = 'message'", BLOCK_SIZE);
                long after = jdbc.scalar("SELECT next_id FROM id_blocks WHERE name = 'message'");
                c.commit();
                next = after - BLOCK_SIZE;
                end = after;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot reserve message ids: " + e.getMessage(), e);
        }
    }
}

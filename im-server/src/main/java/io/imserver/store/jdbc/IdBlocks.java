package io.imserver.store.jdbc;

import io.imserver.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * Message ids for a database that several nodes share: each node reserves a block of {@value #BLOCK_SIZE} ids in
 * the {@code id_blocks} row of its own short transaction and hands them out from memory, so no two nodes ever hand
 * out the same id. Ids are unique, not ordered across nodes: the order within a stream is its seq. At most two
 * blocks are lost when a node stops. Used by the writer thread only.
 *
 * @implNote Reserving inside the writer's batch transaction would hold the row's lock until the batch commits and
 *     serialize every node's batches behind it; a separate transaction holds it for one round trip. That
 *     transaction runs on {@code background} once half of the block is handed out, so that the writer finds the
 *     next block ready: reserved on the writer's thread, its round trips and its commit's flush held up the batch
 *     that crossed the block's end (at 10,000 msgs/s on PostgreSQL, 20 batches a second with blocks of 1,000).
 */
final class IdBlocks implements LongSupplier {
    static final int BLOCK_SIZE = 10_000;

    private record Block(long first, long end) {
    }

    private final DataSource pool;
    private final Executor background;
    private final long waitMillis;
    private long next;
    private long end;
    /** The block reserved ahead, from when half of the current one is handed out until the writer takes it. */
    private CompletableFuture<Block> ahead;

    /**
     * @param background where the next block is reserved ahead (the store's monitor)
     * @param wait how long the writer waits for the block reserved ahead before it reserves one itself (the
     *     database's timeout: a reservation that takes longer has failed)
     */
    IdBlocks(DataSource pool, Executor background, java.time.Duration wait) {
        this.pool = pool;
        this.background = background;
        this.waitMillis = wait.toMillis();
    }

    @Override
    public long getAsLong() {
        if (next >= end) {
            var reserved = ahead;
            ahead = null;
            var block = reserved == null ? reserve() : take(reserved);
            next = block.first();
            end = block.end();
        }
        if (ahead == null && end - next <= BLOCK_SIZE / 2) {
            try {
                ahead = CompletableFuture.supplyAsync(this::reserve, background);
            } catch (RejectedExecutionException e) {
                // the store is closing: the writer reserves for itself if it still needs a block
            }
        }
        return next++;
    }

    /**
     * The block reserved ahead, or, if that failed (the database was out) or never ran in time (its executor shut
     * down or stuck), one reserved now: a block that arrives late is never handed out, only lost.
     */
    private Block take(CompletableFuture<Block> reserved) {
        try {
            return reserved.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return reserve();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for the message ids reserved ahead", e);
        }
    }

    private Block reserve() {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                var jdbc = new Jdbc(c);
                jdbc.update("UPDATE id_blocks SET next_id = next_id + ? WHERE name = 'message'", BLOCK_SIZE);
                long after = jdbc.scalar("SELECT next_id FROM id_blocks WHERE name = 'message'");
                c.commit();
                return new Block(after - BLOCK_SIZE, after);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot reserve message ids: " + e.getMessage(), e);
        }
    }
}

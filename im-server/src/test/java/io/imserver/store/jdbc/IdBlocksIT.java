package io.imserver.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.imserver.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Message ids of the engines that nodes share, on the real PostgreSQL and MariaDB servers. */
class IdBlocksIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void twoNodesOnOneDatabase_neverHandOutTheSameId_acrossManyBlocks(String engine) throws Exception {
        try (var database = TestDatabase.create(engine); var pool = migrated(database);
             var background = Executors.newFixedThreadPool(2)) {
            var nodes = new IdBlocks[] {new IdBlocks(pool, background, WAIT), new IdBlocks(pool, background, WAIT)};
            int perNode = 3 * IdBlocks.BLOCK_SIZE + 7;
            var drawn = new AtomicLongArray(2 * perNode);
            try (var writers = Executors.newFixedThreadPool(2)) {
                var done = new ArrayList<Future<?>>();
                for (int node = 0; node < 2; node++) {
                    int n = node;
                    done.add(writers.submit(() -> {
                        for (int i = 0; i < perNode; i++) {
                            drawn.set(n * perNode + i, nodes[n].getAsLong());
                        }
                    }));
                }
                for (var writer : done) {
                    writer.get(60, TimeUnit.SECONDS);
                }
            }
            var distinct = new HashSet<Long>();
            for (int i = 0; i < drawn.length(); i++) {
                distinct.add(drawn.get(i));
            }
            assertThat(distinct).hasSize(2 * perNode).doesNotContain(0L);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void theNextBlockIsReservedAhead_soTheWriterTakesItWithoutAReservationOfItsOwn(String engine) throws Exception {
        try (var database = TestDatabase.create(engine); var pool = migrated(database);
             var background = Executors.newSingleThreadExecutor()) {
            var ids = new IdBlocks(pool, background, WAIT);
            long first = ids.getAsLong();
            long reservedBefore = reserved(database);
            for (int i = 1; i <= IdBlocks.BLOCK_SIZE / 2; i++) {
                assertThat(ids.getAsLong()).isEqualTo(first + i);
            }
            await("a block reserved ahead").atMost(WAIT).pollInterval(Duration.ofMillis(10))
                    .until(() -> reserved(database) != reservedBefore);
            long reservedAhead = reserved(database);
            assertThat(reservedAhead).as("reserved once half of the block was handed out")
                    .isEqualTo(reservedBefore + IdBlocks.BLOCK_SIZE);

            long last = drawRestOfBlock(ids);
            assertThat(last).isEqualTo(first + IdBlocks.BLOCK_SIZE - 1);
            assertThat(ids.getAsLong()).as("the first id of the block reserved ahead")
                    .isEqualTo(reservedAhead - IdBlocks.BLOCK_SIZE);
            assertThat(reserved(database)).as("no block reserved for the writer itself").isEqualTo(reservedAhead);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void aReservationAheadThatFailed_isReplacedByOneTheWriterMakes(String engine) throws Exception {
        try (var database = TestDatabase.create(engine); var pool = migrated(database);
             var background = Executors.newSingleThreadExecutor()) {
            var ids = new IdBlocks(pool, background, WAIT);
            long first = ids.getAsLong();
            long reservedBefore = reserved(database);
            pool.refuse = true;
            for (int i = 1; i <= IdBlocks.BLOCK_SIZE / 2; i++) {
                ids.getAsLong();
            }
            await("the reservation ahead refused a connection").atMost(WAIT).pollInterval(Duration.ofMillis(10))
                    .until(() -> pool.refused.get() > 0);
            pool.refuse = false;

            assertThat(drawRestOfBlock(ids)).isEqualTo(first + IdBlocks.BLOCK_SIZE - 1);
            long next = ids.getAsLong();
            assertThat(reserved(database)).as("one block reserved by the writer itself")
                    .isEqualTo(reservedBefore + IdBlocks.BLOCK_SIZE);
            assertThat(next).isEqualTo(reservedBefore);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void aReservationAheadThatNeverRuns_isReplacedAfterTheWait_andItsIdsAreNotHandedOut(String engine)
            throws Exception {
        try (var database = TestDatabase.create(engine); var pool = migrated(database)) {
            Executor dropsEverything = task -> { };
            var ids = new IdBlocks(pool, dropsEverything, Duration.ofMillis(200));
            long first = ids.getAsLong();
            long reservedBefore = reserved(database);
            assertThat(drawRestOfBlock(ids)).isEqualTo(first + IdBlocks.BLOCK_SIZE - 1);

            long started = System.nanoTime();
            long next = ids.getAsLong();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited for the block ahead first")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(next).isEqualTo(reservedBefore);
            assertThat(reserved(database)).isEqualTo(reservedBefore + IdBlocks.BLOCK_SIZE);
        }
    }

    /** Draws ids up to the last of the current block. @return the last */
    private static long drawRestOfBlock(IdBlocks ids) {
        long last = ids.getAsLong();
        while ((last + 1) % IdBlocks.BLOCK_SIZE != 1) { // blocks start at 1 + n * BLOCK_SIZE
            last = ids.getAsLong();
        }
        return last;
    }

    /** The database migrated by a store, and a pool on it as the store's readers have. */
    private static RefusingPool migrated(TestDatabase database) {
        JdbcStore.open(database.url()).close();
        var pool = new RefusingPool();
        pool.setJdbcUrl(database.url());
        pool.setMaximumPoolSize(2);
        return pool;
    }

    private static long reserved(TestDatabase database) throws SQLException {
        try (var c = DriverManager.getConnection(database.url()); var st = c.createStatement();
             var rs = st.executeQuery("SELECT next_id FROM id_blocks WHERE name = 'message'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A pool as the store's readers have, refusing connections while {@link #refuse} is set (a database down). */
    private static final class RefusingPool extends HikariDataSource {
        volatile boolean refuse;
        final AtomicInteger refused = new AtomicInteger();

        @Override
        public Connection getConnection() throws SQLException {
            if (refuse) {
                refused.incrementAndGet();
                throw new SQLException("connection refused (test)");
            }
            return super.getConnection();
        }
    }
}

package io.imserver.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.imserver.testing.TestDatabase;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Message ids of the engines that nodes share, on the real PostgreSQL and MariaDB servers. */
class IdBlocksIT {
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void twoNodesOnOneDatabase_neverHandOutTheSameId_acrossManyBlocks(String engine) throws Exception {
        try (var database = TestDatabase.create(engine); var pool = migrated(database);
             var background = Executors.newFixedThreadPool(2)) {
            var nodes = new IdBlocks[] {new IdBlocks(pool, background), new IdBlocks(pool, background)};
            int perNode = 3 * IdBlocks.BLOCK_SIZE + 7;
            var drawn = new AtomicLongArray(2 * perNode);
            try (var writers = Executors.newFixedThreadPool(2)) {
                for (int node = 0; node < 2; node++) {
                    int n = node;
                    writers.submit(() -> {
                        for (int i = 0; i < perNode; i++) {
                            drawn.set(n * perNode + i, nodes[n].getAsLong());
                        }
                    });
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
            var ids = new IdBlocks(pool, background);
            long first = ids.getAsLong();
            long reservedBefore = reserved(database);
            for (int i = 1; i <= IdBlocks.BLOCK_SIZE / 2; i++) {
                assertThat(ids.getAsLong()).isEqualTo(first + i);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (reserved(database) == reservedBefore && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long reservedAhead = reserved(database);
            assertThat(reservedAhead).as("reserved once half of the block was handed out")
                    .isEqualTo(reservedBefore + IdBlocks.BLOCK_SIZE);

            long last = 0;
            for (int i = IdBlocks.BLOCK_SIZE / 2 + 1; i < IdBlocks.BLOCK_SIZE; i++) {
                last = ids.getAsLong();
            }
            assertThat(last).isEqualTo(first + IdBlocks.BLOCK_SIZE - 1);
            assertThat(ids.getAsLong()).as("the first id of the block reserved ahead")
                    .isEqualTo(reservedAhead - IdBlocks.BLOCK_SIZE);
            assertThat(reserved(database)).as("no block reserved for the writer itself").isEqualTo(reservedAhead);
        }
    }

    /** The database migrated by a store, and a pool on it as the store's readers have. */
    private static HikariDataSource migrated(TestDatabase database) {
        JdbcStore.open(database.url()).close();
        var pool = new HikariDataSource();
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
}

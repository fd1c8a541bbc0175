package io.imserver.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store's write-ahead log under writes that never pause: started over, not growing with every commit. */
class WalRestartTest {
    private static final int RESTART_FRAMES = 256; // 1 MiB of 4 KiB pages
    private static final long TO_WRITE = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void underWritesThatNeverPause_theWalStartsOver_insteadOfGrowingWithEveryCommit() throws Exception {
        var wal = dir.resolve("im.db-wal");
        long largestWal = 0;
        long written = 0;
        int restarts = 0;
        long lastHeader = -1;
        String filler = "x".repeat(1_000);
        try (var store = JdbcStore.embedded(dir, RESTART_FRAMES, java.time.Duration.ofMillis(50))) {
            // writes stay queued at all times, so the checkpoint never finds the writer idle and the WAL at its end
            var inFlight = new Semaphore(256);
            var last = CompletableFuture.<Object>completedFuture(null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int i = 0; written < TO_WRITE && System.nanoTime() < deadline; i++) {
                inFlight.acquire();
                String clientId = i + filler;
                int sender = i;
                last = store.write(tx -> {
                    tx.messages().rememberSent(1, sender, clientId, sender, 1, 1L, null);
                    return null;
                });
                last.whenComplete((r, e) -> inFlight.release());
                written += clientId.length();
                if (i % 200 == 0 && Files.exists(wal)) {
                    largestWal = Math.max(largestWal, Files.size(wal));
                    long header = checkpointSequence(wal);
                    if (lastHeader >= 0 && header != lastHeader) {
                        restarts++;
                    }
                    lastHeader = header;
                }
            }
            last.get(30, TimeUnit.SECONDS);
        }
        assertThat(written).as("enough written to tell a bounded WAL from a growing one").isGreaterThanOrEqualTo(TO_WRITE);
        assertThat(restarts).as("times the WAL was seen starting over").isGreaterThanOrEqualTo(2);
        // each row goes through the WAL at least twice (its table and its key's index): a WAL that never starts over
        // passes 2 * TO_WRITE (417 MB measured with the restart switched off)
        assertThat(largestWal).as("largest WAL seen, with %,d bytes of rows written", written)
                .isLessThan(2 * TO_WRITE);
    }

    /** The WAL header's checkpoint sequence number: SQLite changes it each time the WAL starts over. */
    private static long checkpointSequence(Path wal) throws IOException {
        try (var channel = FileChannel.open(wal)) {
            var header = ByteBuffer.allocate(16);
            channel.read(header, 0);
            return header.getInt(12) & 0xffffffffL;
        }
    }
}

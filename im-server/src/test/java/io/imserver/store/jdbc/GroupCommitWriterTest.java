package io.imserver.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.imserver.store.PeerType;
import io.imserver.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The single writer's group commit on the embedded SQLite: one failing write never takes others with it. */
class GroupCommitWriterTest {
    @TempDir
    Path dir;
    JdbcStore store;

    @BeforeEach
    void open() {
        store = JdbcStore.embedded(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Holds the writer until released, so that the writes submitted meanwhile share the next commit. */
    private CountDownLatch holdWriter() throws InterruptedException {
        var release = new CountDownLatch(1);
        var holding = new CountDownLatch(1);
        store.write(tx -> {
            holding.countDown();
            return release.await(10, TimeUnit.SECONDS);
        });
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    private CompletableFuture<Object> upsertApp(long appId) {
        return store.write(tx -> tx.apps().upsert(appId, "app " + appId, "secret", 1L));
    }

    private boolean appExists(long appId) {
        return store.read(tx -> tx.apps().find(appId)).isPresent();
    }

    @Test
    void aWriteThatFailsAfterWriting_isUndoneAlone_andTheOthersOfItsCommitStay() throws Exception {
        var release = holdWriter();
        var first = upsertApp(1);
        CompletableFuture<Object> failing = store.write(tx -> {
            tx.apps().upsert(2, "app 2", "secret", 1L);
            throw new IllegalStateException("refused after writing");
        });
        var last = upsertApp(3);
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(last.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("refused after writing");
        assertThat(appExists(1)).isTrue();
        assertThat(appExists(2)).as("the failed write left nothing").isFalse();
        assertThat(appExists(3)).isTrue();
    }

    @Test
    void aWriteRefusedBeforeWriting_failsAlone() throws Exception {
        var release = holdWriter();
        var first = upsertApp(11);
        CompletableFuture<Object> refused = store.write(tx -> {
            if (tx.apps().find(999).isEmpty()) {
                throw new IllegalArgumentException("no app 999");
            }
            return null;
        });
        var last = upsertApp(13);
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(last.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).hasMessageContaining("no app 999");
        assertThat(appExists(11)).isTrue();
        assertThat(appExists(13)).isTrue();
    }

    @Test
    void manyMovesOfOneStreamHeadInOneCommit_endWhereTheLastLeft_withTheReadPositionOfTheLastOwnMessage()
            throws Exception {
        long conversation = store.write(tx -> tx.conversations().getOrCreate(1, 7, PeerType.USER, 8, 0, 1L).id())
                .get(10, TimeUnit.SECONDS);
        var release = holdWriter();
        // seq 1 and 2 are the owner's own (read), 3 and 4 the peer's (unread)
        var moves = new java.util.ArrayList<CompletableFuture<Long>>();
        for (int i = 1; i <= 4; i++) {
            boolean own = i <= 2;
            moves.add(store.write(tx -> {
                var head = tx.conversations().directHead(1, 7, 8, 1L);
                long seq = head.lastSeq() + 1;
                tx.conversations().advanceHead(conversation, seq, 100 + seq, own ? 7 : 8, "n", "p" + seq, seq, own);
                return seq;
            }));
        }
        release.countDown();
        for (int i = 0; i < 4; i++) {
            assertThat(moves.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i + 1L);
        }
        var stored = store.read(tx -> tx.conversations().find(conversation)).orElseThrow();
        assertThat(stored.lastSeq()).isEqualTo(4);
        assertThat(stored.lastMessageId()).isEqualTo(104);
        assertThat(stored.lastPreview()).isEqualTo("p4");
        assertThat(stored.readSeq()).as("read up to the owner's own last message").isEqualTo(2);
    }

    @Test
    void aWriteIsVisibleToTheNextWriteOfTheSameCommit() throws Exception {
        var release = holdWriter();
        upsertApp(21);
        Store.Work<Boolean> seesIt = tx -> tx.apps().find(21).isPresent();
        var seen = store.write(seesIt);
        release.countDown();
        assertThat(seen.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void afterCommitSteps_runInCommitOrder_eachBeforeItsFuture_acrossManyCommits() throws Exception {
        int writes = 3_000; // more than one commit holds (1,024)
        var order = java.util.Collections.synchronizedList(new java.util.ArrayList<Integer>());
        var futures = new java.util.ArrayList<CompletableFuture<?>>();
        var completedEarly = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < writes; i++) {
            int n = i;
            var holder = new CompletableFuture<CompletableFuture<?>>();
            var future = store.write(tx -> tx.apps().upsert(1000 + n, "app", "secret", 1L), app -> {
                order.add(n);
                if (holder.getNow(null) == null || holder.getNow(null).isDone()) {
                    completedEarly.incrementAndGet();
                }
            });
            holder.complete(future);
            futures.add(future);
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(order).hasSize(writes).isSorted();
        assertThat(completedEarly).as("futures completed before their after-commit step").hasValue(0);
    }

    @Test
    void aSlowAfterCommitStep_holdsBackLaterFutures_butNotLaterCommits() throws Exception {
        var stepEntered = new CountDownLatch(1);
        var releaseStep = new CountDownLatch(1);
        var first = store.write(tx -> tx.apps().upsert(31, "app 31", "secret", 1L), app -> {
            stepEntered.countDown();
            try {
                releaseStep.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(stepEntered.await(10, TimeUnit.SECONDS)).isTrue();
        var second = upsertApp(32);

        await("the next write committed while the first one's step ran").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(5)).until(() -> appExists(32));
        assertThat(second).as("its future waits for the step of the write committed before it").isNotDone();

        releaseStep.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(second.get(10, TimeUnit.SECONDS)).isNotNull();
    }
}

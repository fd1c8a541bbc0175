package io.imserver.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.store.SentKey;
import io.imserver.store.SentMessage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client message id entries (exactly-once send) on the embedded store: found before and after they are written. */
class SentMessagesTest {
    @TempDir
    Path dir;

    @Test
    void anEntryRememberedEarlierInTheSameBatch_isFoundByALaterWriteOfThatBatch() throws Exception {
        try (var store = JdbcStore.embedded(dir)) {
            var writerHeld = new CountDownLatch(1);
            var holding = store.write(tx -> {
                writerHeld.await(10, TimeUnit.SECONDS); // the next two writes queue meanwhile: one batch after this
                return null;
            });
            var first = store.write(tx -> {
                var before = tx.messages().sentWithClientId(1, 7, "retry-1");
                tx.messages().rememberSent(1, 7, "retry-1", 100, 5, 1_000, null);
                return before;
            });
            var retry = store.write(tx -> tx.messages().sentWithClientId(1, 7, "retry-1"));
            writerHeld.countDown();
            holding.get(10, TimeUnit.SECONDS);

            assertThat(first.get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(retry.get(10, TimeUnit.SECONDS)).contains(new SentMessage(100, 5, 1_000));
            assertThat(found(store, 1, 7, "retry-1")).as("after the commit").contains(new SentMessage(100, 5, 1_000));
        }
    }

    @Test
    void anExpiredEntry_isReplacedByTheNextSendWithItsId() throws Exception {
        try (var store = JdbcStore.embedded(dir)) {
            store.write(tx -> {
                tx.messages().rememberSent(1, 7, "old-id", 100, 5, 1_000, null);
                return null;
            }).get(10, TimeUnit.SECONDS);

            var replaced = store.write(tx -> {
                var entry = tx.messages().sentWithClientId(1, 7, "old-id").orElseThrow();
                boolean answersRetries = entry.sentSince(60_000);
                tx.messages().rememberSent(1, 7, "old-id", 200, 5, 61_000, entry);
                return answersRetries;
            });

            assertThat(replaced.get(10, TimeUnit.SECONDS)).as("the old entry still answered retries").isFalse();
            assertThat(found(store, 1, 7, "old-id")).contains(new SentMessage(200, 5, 61_000));
            assertThat(found(store, 1, 8, "old-id")).as("ids are per sender").isEmpty();
        }
    }

    @Test
    void entriesReadAtABatchStart_answerItsWrites_butNoLaterBatch() throws Exception {
        try (var store = JdbcStore.embedded(dir)) {
            var key = new SentKey(1, 7, "read-ahead");
            // the batch reads the entry (none yet) before the write remembers it
            store.write(tx -> {
                tx.messages().rememberSent(1, 7, "read-ahead", 100, 5, 1_000, null);
                return null;
            }, r -> { }, List.of(), key).get(10, TimeUnit.SECONDS);

            var laterBatch = store.write(tx -> tx.messages().sentWithClientId(1, 7, "read-ahead"));
            var declaringBatch = store.write(tx -> tx.messages().sentWithClientId(1, 7, "read-ahead"), r -> { },
                    List.of(), key);

            assertThat(laterBatch.get(10, TimeUnit.SECONDS)).as("not the first batch's 'none'")
                    .contains(new SentMessage(100, 5, 1_000));
            assertThat(declaringBatch.get(10, TimeUnit.SECONDS)).contains(new SentMessage(100, 5, 1_000));
        }
    }

    @Test
    void anEntryRememberedInTheBatch_isFoundAfterTheBatchSentItsRows_thoughReadAsNoneAtItsStart() throws Exception {
        try (var store = JdbcStore.embedded(dir)) {
            var afterFlush = store.write(tx -> {
                tx.messages().rememberSent(1, 7, "flushed", 100, 5, 1_000, null);
                tx.apps().find(1); // any read sends the deferred rows first
                return tx.messages().sentWithClientId(1, 7, "flushed");
            }, r -> { }, List.of(), new SentKey(1, 7, "flushed"));

            assertThat(afterFlush.get(10, TimeUnit.SECONDS)).contains(new SentMessage(100, 5, 1_000));
        }
    }

    @Test
    void aBatchOfManyDeclaredIds_readsEachEntry_acrossSeveralStatements() throws Exception {
        int ids = 2 * JdbcMessageRepository.ENTRIES_PER_READ + 1;
        try (var store = JdbcStore.embedded(dir)) {
            store.write(tx -> {
                for (int i = 1; i < ids; i += 2) { // the odd ids were sent before
                    tx.messages().rememberSent(1, 7, "id-" + i, 1_000 + i, 5, 1_000, null);
                }
                return null;
            }).get(10, TimeUnit.SECONDS);

            var writerHeld = new CountDownLatch(1);
            var holding = store.write(tx -> writerHeld.await(10, TimeUnit.SECONDS));
            var lookups = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Optional<SentMessage>>>();
            for (int i = 0; i < ids; i++) {
                String id = "id-" + i;
                lookups.add(store.write(tx -> tx.messages().sentWithClientId(1, 7, id), r -> { }, List.of(),
                        new SentKey(1, 7, id)));
            }
            writerHeld.countDown();
            holding.get(10, TimeUnit.SECONDS);

            for (int i = 0; i < ids; i++) {
                var entry = lookups.get(i).get(10, TimeUnit.SECONDS);
                if (i % 2 == 1) {
                    assertThat(entry).as("id-" + i).contains(new SentMessage(1_000 + i, 5, 1_000));
                } else {
                    assertThat(entry).as("id-" + i).isEmpty();
                }
            }
        }
    }

    private static Optional<SentMessage> found(JdbcStore store, long app, long sender, String clientMsgId)
            throws Exception {
        return store.write(tx -> tx.messages().sentWithClientId(app, sender, clientMsgId)).get(10, TimeUnit.SECONDS);
    }
}

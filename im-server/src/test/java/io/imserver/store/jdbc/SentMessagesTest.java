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
                tx.messages().rememberSent(1, 7, "retry-1", 100, 5, 1_000, false);
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
                tx.messages().rememberSent(1, 7, "old-id", 100, 5, 1_000, false);
                return null;
            }).get(10, TimeUnit.SECONDS);

            var replaced = store.write(tx -> {
                var entry = tx.messages().sentWithClientId(1, 7, "old-id").orElseThrow();
                boolean answersRetries = entry.sentSince(60_000);
                tx.messages().rememberSent(1, 7, "old-id", 200, 5, 61_000, true);
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
                tx.messages().rememberSent(1, 7, "read-ahead", 100, 5, 1_000, false);
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

    private static Optional<SentMessage> found(JdbcStore store, long app, long sender, String clientMsgId)
            throws Exception {
        return store.write(tx -> tx.messages().sentWithClientId(app, sender, clientMsgId)).get(10, TimeUnit.SECONDS);
    }
}

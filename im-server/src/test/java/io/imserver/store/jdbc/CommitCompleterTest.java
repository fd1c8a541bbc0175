package io.imserver.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Committed batches are completed in the order they were handed over, also around and after a close. */
class CommitCompleterTest {

    @Test
    void batches_completeInTheOrderHandedOver_andOneThatThrowsDoesNotStopTheNext() throws Exception {
        var completer = new CommitCompleter("test-completer", 4);
        List<Integer> done = Collections.synchronizedList(new ArrayList<>());
        var last = new CountDownLatch(1);
        for (int i = 0; i < 100; i++) {
            int n = i;
            completer.submit(() -> {
                done.add(n);
                if (n == 10) {
                    throw new IllegalStateException("an after-commit step failed");
                }
                if (n == 99) {
                    last.countDown();
                }
            });
        }
        assertThat(last.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(done).hasSize(100).isSorted();
        completer.close();
    }

    @Test
    void close_completesWhatWasHandedOver_andABatchHandedOverAfterwardsIsCompletedByTheOneHandingItOver() {
        var completer = new CommitCompleter("test-completer", 64);
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 50; i++) {
            completer.submit(() -> done.add("before"));
        }
        completer.close();
        assertThat(done).hasSize(50);

        completer.submit(() -> done.add(Thread.currentThread().getName()));
        assertThat(done).hasSize(51).last().isEqualTo(Thread.currentThread().getName());
    }
}

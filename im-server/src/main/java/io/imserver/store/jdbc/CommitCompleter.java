package io.imserver.store.jdbc;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the completions of committed batches (their after-commit steps, then their futures) on a thread of its own,
 * one batch after the other in the order they were handed over: the writer hands a committed batch over and starts
 * the next one. At most {@code maxPending} batches wait; the writer waits for room beyond that.
 *
 * @implNote Run on the writer thread, the completions held 7 % of its profile, and each push or reply they handed
 *     to an event loop woke that loop, which the kernel tends to run on the waker's core, preempting the writer:
 *     about 1,900 preemptions a second in a closed loop on 2 cores, the writer waiting for a core a quarter of the
 *     time. Handed over, the writer's CPU per message fell by a third and its preemptions to 150 a second
 *     (docs/BENCHMARKS.md, "Issue 13, fourth pass"). The writer is the one serial stage every write passes
 *     through. A pool of completion threads would lose the commit order of pushes.
 */
final class CommitCompleter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommitCompleter.class);

    private final BlockingQueue<Runnable> pending;
    private final Thread thread;
    private volatile boolean running = true;
    /** Set by the completer thread as it ends: from then on the one handing a batch over completes it. */
    private volatile boolean stopped;

    CommitCompleter(String threadName, int maxPending) {
        this.pending = new ArrayBlockingQueue<>(maxPending);
        this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::run);
        thread.start();
    }

    /**
     * Queues the completion of a committed batch, after those queued before it. Once the completer has stopped (a
     * writer that outlived {@link #close()}), the batch is completed here instead.
     */
    void submit(Runnable completion) {
        if (stopped) {
            completion.run();
            return;
        }
        try {
            pending.put(completion);
        } catch (InterruptedException e) {
            // only a writer being torn down is interrupted: its last batch is still completed, here
            Thread.currentThread().interrupt();
            completion.run();
            return;
        }
        if (stopped) {
            runPending(); // queued as the completer ended: it may not have seen it
        }
    }

    private void run() {
        while (running) {
            try {
                var next = pending.poll(100, TimeUnit.MILLISECONDS);
                if (next != null) {
                    runLogged(next);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stopped = true;
        runPending();
    }

    private void runPending() {
        Runnable next;
        while ((next = pending.poll()) != null) {
            runLogged(next);
        }
    }

    private static void runLogged(Runnable completion) {
        try {
            completion.run();
        } catch (RuntimeException e) {
            log.error("completing a committed batch failed; its writes are committed", e);
        }
    }

    /** Completes what was handed over, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

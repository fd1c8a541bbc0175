package io.imserver.store.jdbc;

import io.imserver.store.HeadKey;
import io.imserver.store.SentKey;
import io.imserver.store.Store;
import io.imserver.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: takes queued writes, runs as many as are waiting (up to {@code maxBatch}) in one transaction,
 * and commits once. One durable commit thus covers many messages. Each committed batch is then completed (its
 * after-commit steps, its futures) by a {@link CommitCompleter}, in commit order, while the writer goes on. A write
 * that fails is undone alone: the batch runs again with a savepoint per write when one fails after it had written
 * (see {@link #runOptimistically}).
 *
 * @implNote A single writer thread also makes seq assignment trivially gap-free and ordered: every stream head is
 * read and advanced inside the one transaction that stores the message. The alternative, a pool of writers with
 * row locks, costs a round trip per message on SQLite, which serializes writers anyway.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

    private record Task<T>(Store.Work<T> work, Consumer<? super T> afterCommit, List<HeadKey> heads,
                           SentKey sentKey, CompletableFuture<T> future, long queuedAt) {
    }

    /** How long a small batch waits for more writes while writes arrive fast. */
    static final long COMMIT_DELAY_NANOS = java.util.concurrent.TimeUnit.MICROSECONDS.toNanos(2_000);
    /** Writes a second from which a batch waits for more: eight or more expected within the delay. */
    static final double GATHER_RATE = 4_000;
    /** A batch this large commits without waiting. */
    static final int GATHER_TARGET = 256;
    /** Committed batches that may wait for their completion before the writer waits too. */
    static final int MAX_PENDING_COMPLETIONS = 64;

    private final DataSource dataSource;
    private final Function<Connection, JdbcStoreTx> txFactory;
    private final VersionClock versions;
    /** Clears the writer's caches: after a rollback they may hold what was not committed. */
    private final Runnable onRollback;
    /**
     * Runs on the writer's connection before each batch, outside any transaction: the writer's caches keep their
     * bounds, SQLite's WAL starts over when due.
     */
    private final Consumer<Connection> beforeBatch;
    /** Whether this node may still commit (its cluster lease is held); always true for a single node. */
    private final java.util.function.BooleanSupplier leaseValid;
    private final int maxBatch;
    private final BlockingQueue<Task<?>> queue;
    private final Thread thread;
    /** Where committed (or failed) batches are completed, in commit order. */
    private final CommitCompleter completer = new CommitCompleter("store-completer", MAX_PENDING_COMPLETIONS);
    private volatile boolean running = true;
    /**
     * Where a write's time goes, as Prometheus histograms (a benchmark reads a phase's distribution from the change
     * of their buckets). Per write: the whole of it and its three parts (waiting for its batch, the batch's run, the
     * hand-over to its after-commit step); per batch: its run, the database's commit call and its size. No
     * percentiles are computed in the server: they cost the completer a few percent of the server's CPU at 60,000
     * writes/s, and one node's percentile cannot be combined with another's, while buckets add up.
     */
    private final Timer writeTimer = storeTimer("im.store.write",
            "a write from its submission until its after-commit step runs (queued + committing + completing)");
    private final Timer queuedTimer = storeTimer("im.store.write.queued",
            "a write from its submission until its batch begins (the writer busy with earlier batches, gathering)");
    private final Timer committingTimer = storeTimer("im.store.write.committing",
            "a write's batch from its start to its durable commit, counted once for each write it held");
    private final Timer completingTimer = storeTimer("im.store.write.completing",
            "a write from its durable commit until its after-commit step runs (the completer's queue)");
    private final Timer commitTimer = storeTimer("im.store.commit",
            "group commit: from the first write of a batch to its durable commit");
    private final Timer commitCallTimer = storeTimer("im.store.commit.call",
            "the database's commit of a batch: SQLite writes its WAL frames and fsyncs them; PostgreSQL and MariaDB"
                    + " answer once their log is flushed");
    private final io.micrometer.core.instrument.Counter batchRetries = io.micrometer.core.instrument.Counter
            .builder("im.store.batch.retries")
            .description("batches run again after meeting another node's transaction (deadlock, serialization)")
            .register(Metrics.globalRegistry);
    private final DistributionSummary batchSize = DistributionSummary.builder("im.store.batch")
            .description("writes per group commit")
            .publishPercentileHistogram()
            .maximumExpectedValue(8192.0)
            .register(Metrics.globalRegistry);

    private static Timer storeTimer(String name, String description) {
        return Timer.builder(name)
                .description(description)
                .publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofNanos(100_000))
                .maximumExpectedValue(java.time.Duration.ofSeconds(30))
                .register(Metrics.globalRegistry);
    }

    /**
     * @param deadline how long a queued write may wait while the writer makes no progress (its database went
     *     silent or refuses): then it fails unattempted, see {@link #expireStalled}
     */
    GroupCommitWriter(DataSource dataSource, Function<Connection, JdbcStoreTx> txFactory, VersionClock versions,
                      Runnable onRollback, Consumer<Connection> beforeBatch, java.util.function.BooleanSupplier leaseValid,
                      int maxBatch, int maxQueued, java.time.Duration deadline) {
        this.onRollback = onRollback;
        this.leaseValid = leaseValid;
        this.beforeBatch = beforeBatch;
        this.dataSource = dataSource;
        this.txFactory = txFactory;
        this.versions = versions;
        this.maxBatch = maxBatch;
        this.queue = new LinkedBlockingQueue<>(maxQueued);
        this.deadlineNanos = deadline.toNanos();
        this.thread = Thread.ofPlatform().name("store-writer").daemon(true).unstarted(this::run);
        thread.start();
        long sweepMillis = Math.clamp(deadline.toMillis() / 8, 20, 250);
        this.deadlines = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("store-write-deadline").daemon(true).unstarted(r));
        deadlines.scheduleWithFixedDelay(this::expireStalled, sweepMillis, sweepMillis,
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private final long deadlineNanos;
    private final java.util.concurrent.ScheduledExecutorService deadlines;
    /** When the writer last committed a batch or found nothing to do: it was not stuck then. */
    private volatile long progressAt = System.nanoTime();

    /**
     * Fails the queued writes that have waited past the deadline while the writer made no progress: its database
     * went silent (a batch hangs until the driver's socket timeout) or refuses connections. They were never
     * attempted, so their 503 means "not stored". A writer that commits, however far behind, lets its queue wait:
     * overload is answered by the queue's bound, not by the deadline.
     *
     * @implNote The alternative, a timeout on each write's future, also answered writes that were still queued
     *     behind a slow but working database, and those were then stored (and pushed) after their sender had
     *     been told 503; it also cost a scheduled timer per write.
     */
    private void expireStalled() {
        long now = System.nanoTime();
        if (now - progressAt < deadlineNanos) {
            return;
        }
        var expired = new ArrayList<Task<?>>();
        queue.removeIf(task -> now - task.queuedAt() >= deadlineNanos && expired.add(task));
        if (expired.isEmpty()) {
            return;
        }
        log.warn("the database made no progress for {} ms: {} queued writes fail unattempted",
                java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(now - progressAt), expired.size());
        for (var task : expired) {
            task.future().completeExceptionally(new StoreUnavailableException("the database did not answer within "
                    + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadlineNanos) + " ms; nothing was stored"));
        }
    }

    <T> CompletableFuture<T> submit(Store.Work<T> work, Consumer<? super T> afterCommit) {
        return submit(work, afterCommit, List.of(), null);
    }

    /**
     * @param heads the stream heads the work moves, locked at the start of its batch (none: nothing locked first)
     * @param sentKey the client message id whose entry the work looks up, read with its batch's others (or null)
     */
    <T> CompletableFuture<T> submit(Store.Work<T> work, Consumer<? super T> afterCommit, List<HeadKey> heads,
                                    SentKey sentKey) {
        var future = new CompletableFuture<T>();
        if (!running) {
            future.completeExceptionally(new RejectedExecutionException("the store is closed"));
        } else if (!queue.offer(new Task<>(work, afterCommit, heads, sentKey, future, System.nanoTime()))) {
            future.completeExceptionally(new RejectedExecutionException(
                    "the write queue is full (" + queue.size() + " waiting); try again later"));
        }
        return future;
    }

    private void run() {
        while (running || !queue.isEmpty()) {
            try {
                var first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    progressAt = System.nanoTime();
                    continue;
                }
                var batch = new ArrayList<Task<?>>(); // handed to the completer once committed: one list a batch
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                gatherMore(batch);
                arrivals.taken(batch.size(), System.nanoTime()); // with the writes gathered: all that arrived
                commitBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        discardConnection();
        Task<?> left;
        while ((left = queue.poll()) != null) {
            left.future().completeExceptionally(new RejectedExecutionException("the store closed before this write"));
        }
    }

    /** How fast writes arrive, from the batches taken. */
    private final ArrivalRate arrivals = new ArrivalRate();

    /**
     * While writes arrive fast ({@link #GATHER_RATE} a second or more), a small batch waits up to
     * {@link #COMMIT_DELAY_NANOS} for more writes, so that one commit carries more of them. Slower, every batch
     * commits at once: waiting would add up to the whole delay to each write for a commit shared by one or two.
     *
     * @implNote Measured at 10,000 1:1 messages/s offered at an even pace (200 senders): commits of a few writes
     *     each spent about half the writer's time writing the same hot pages to the WAL again and again, and the
     *     queueing this caused made p99 latency 100+ ms. PostgreSQL's {@code commit_delay} is the same idea, with
     *     {@code commit_siblings} as its threshold. The earlier rule (wait whenever the previous commit ended under
     *     5 ms ago) held back each write of a store at 500 writes/s by its whole 2 ms gap; committing at once
     *     whenever the queue was empty after a batch was worse at 5,000/s and up (more commits, more fsyncs and
     *     CPU on 2 cores), see docs/BENCHMARKS.md "Latency work".
     */
    private void gatherMore(List<Task<?>> batch) throws InterruptedException {
        if (batch.size() >= GATHER_TARGET || arrivals.perSecond() < GATHER_RATE) {
            return;
        }
        long deadline = System.nanoTime() + COMMIT_DELAY_NANOS;
        long remaining;
        while (batch.size() < GATHER_TARGET && (remaining = deadline - System.nanoTime()) > 0) {
            var next = queue.poll(remaining, java.util.concurrent.TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, maxBatch - batch.size());
        }
    }

    /** Writes per second over the last complete window of at least {@link #WINDOW_NANOS}; only the writer uses it. */
    static final class ArrivalRate {
        static final long WINDOW_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50);
        private long windowStart = System.nanoTime();
        private long inWindow;
        private double perSecond;

        void taken(int writes, long now) {
            inWindow += writes;
            long elapsed = now - windowStart;
            if (elapsed >= WINDOW_NANOS) {
                perSecond = inWindow * 1e9 / elapsed;
                inWindow = 0;
                windowStart = now;
            }
        }

        double perSecond() {
            return perSecond;
        }
    }

    /** The writer's connection, kept across batches with its prepared statements; replaced after a failure. */
    private Connection connection;
    private JdbcStoreTx tx;

    private JdbcStoreTx open() throws SQLException {
        if (connection == null) {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            tx = txFactory.apply(connection);
        }
        return tx;
    }

    private void discardConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.warn("closing the failed write connection: {}", e.getMessage());
            }
        }
        connection = null;
        tx = null;
    }

    /** A task failed after it had written: the batch is run again, each task under a savepoint. */
    private static final class RunCarefully extends Exception {
        private static final long serialVersionUID = 1L;

        RunCarefully() {
            super(null, null, false, false);
        }
    }

    /**
     * The batch met another node's transaction head-on (a deadlock or serialization failure): nothing of it can be
     * kept, and running it again from the start succeeds once the other has committed.
     */
    private static final class RetryBatch extends Exception {
        private static final long serialVersionUID = 1L;

        RetryBatch(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** Attempts of a batch that keeps meeting other nodes' transactions before it fails. */
    static final int MAX_BATCH_ATTEMPTS = 8;

    private void commitBatch(List<Task<?>> batch) {
        var results = new Object[batch.size()];
        var failures = new Throwable[batch.size()];
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                attemptBatch(batch, results, failures);
                versions.markCommitted();
                progressAt = System.nanoTime();
                commitTimer.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
                batchSize.record(batch.size());
                break;
            } catch (RetryBatch e) {
                abandon(e);
                if (attempt == MAX_BATCH_ATTEMPTS) {
                    failAll(batch, e.getCause());
                    return;
                }
                batchRetries.increment();
                log.debug("store write batch of {} met another node's transaction (attempt {}): {}", batch.size(),
                        attempt, e.getMessage());
                backOff(attempt);
            } catch (SQLException | RuntimeException e) {
                abandon(e);
                failAll(batch, e);
                return;
            }
        }
        long committed = System.nanoTime();
        completer.submit(() -> {
            for (int i = 0; i < batch.size(); i++) {
                var task = batch.get(i);
                long now = System.nanoTime(); // this write's step also waits for the earlier writes' steps
                writeTimer.record(now - task.queuedAt(), java.util.concurrent.TimeUnit.NANOSECONDS);
                queuedTimer.record(started - task.queuedAt(), java.util.concurrent.TimeUnit.NANOSECONDS);
                committingTimer.record(committed - started, java.util.concurrent.TimeUnit.NANOSECONDS);
                completingTimer.record(now - committed, java.util.concurrent.TimeUnit.NANOSECONDS);
                complete(task, results[i], failures[i]);
            }
        });
    }

    private void attemptBatch(List<Task<?>> batch, Object[] results, Throwable[] failures)
            throws SQLException, RetryBatch {
        java.util.Arrays.fill(results, null);
        java.util.Arrays.fill(failures, null);
        open();
        beforeBatch.accept(connection);
        prepare(batch);
        try {
            runOptimistically(batch, results, failures);
        } catch (RunCarefully e) {
            tx.jdbc().discardDeferred();
            connection.rollback();
            onRollback.run();
            java.util.Arrays.fill(results, null);
            java.util.Arrays.fill(failures, null);
            runCarefully(batch, results, failures);
        }
        if (!leaseValid.getAsBoolean()) {
            throw new StoreUnavailableException("this node lost its cluster membership; it commits nothing until it"
                    + " holds it again");
        }
        try {
            long calling = System.nanoTime();
            connection.commit();
            commitCallTimer.record(System.nanoTime() - calling, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (SQLException e) {
            if (SqlConflicts.isTransient(e)) {
                throw new RetryBatch(e);
            }
            throw e;
        }
    }

    /**
     * Locks the heads the batch's writes name, all at once and in {@link HeadKey} order.
     *
     * @implNote Every node's writer takes its row locks in one global order this way, so two batches that move the
     *     same heads wait for each other at most once instead of deadlocking: with two users on two nodes writing
     *     to each other, each message locks both 1:1 heads, in opposite orders on the two nodes. PostgreSQL finds a
     *     deadlock only after {@code deadlock_timeout} (1 s), so retrying after deadlocks alone stalled the cluster.
     */
    private void lockHeads(List<Task<?>> batch) throws SQLException {
        var heads = new java.util.TreeSet<HeadKey>();
        for (var task : batch) {
            heads.addAll(task.heads());
        }
        if (!heads.isEmpty()) {
            open().lockHeads(List.copyOf(heads));
        }
    }

    /**
     * Reads the exactly-once entries the batch's writes will look up, 16 to a statement; with none, forgets the last
     * batch's.
     *
     * @implNote One SELECT per send cost a round trip per message against PostgreSQL: 9,500 msgs/s in a closed
     *     loop where sends without client message ids reached 25,000.
     */
    private void readSentEntries(List<Task<?>> batch) {
        var keys = new ArrayList<SentKey>();
        for (var task : batch) {
            if (task.sentKey() != null) {
                keys.add(task.sentKey());
            }
        }
        tx.readSentEntries(keys);
    }

    /** What a batch reads before its writes run: its heads, locked, and its exactly-once entries. */
    private void prepare(List<Task<?>> batch) throws SQLException, RetryBatch {
        try {
            lockHeads(batch);
            readSentEntries(batch);
        } catch (RuntimeException e) {
            if (SqlConflicts.isTransient(e)) {
                throw new RetryBatch(e);
            }
            throw e;
        }
    }

    /** Undoes what a failed attempt wrote and forgets what the writer cached during it. */
    private void abandon(Exception cause) {
        if (tx != null) {
            tx.jdbc().discardDeferred();
        }
        if (connection != null) {
            rollbackQuietly(connection, cause);
        }
        if (!(cause instanceof RetryBatch)) {
            discardConnection();
        }
        onRollback.run();
        versions.markAborted();
    }

    private void failAll(List<Task<?>> batch, Throwable e) {
        log.error("store write batch of {} failed; none of it was committed", batch.size(), e);
        completer.submit(() -> {
            for (var task : batch) {
                task.future().completeExceptionally(new StoreUnavailableException(
                        "the database did not commit the write: " + e.getMessage(), e));
            }
        });
    }

    /** A random pause that grows with the attempts, so two nodes that collided do not collide again in step. */
    private static void backOff(int attempt) {
        long maxMicros = 500L << Math.min(attempt, 6);
        java.util.concurrent.locks.LockSupport.parkNanos(
                java.util.concurrent.TimeUnit.MICROSECONDS.toNanos(
                        java.util.concurrent.ThreadLocalRandom.current().nextLong(maxMicros / 2, maxMicros)));
    }

    /**
     * Runs the tasks with no savepoints, their batched writes sent at the end: the usual case, where no task fails
     * after writing. A task that fails before any write (a refusal) needs nothing undone and fails alone.
     *
     * @implNote A savepoint per task costs two more round trips per message against PostgreSQL or MariaDB.
     *     Running the batch again under savepoints when a task fails mid-way keeps each task all-or-nothing;
     *     tasks are pure functions of the database (pushes run after the commit), so running one twice is safe.
     */
    private void runOptimistically(List<Task<?>> batch, Object[] results, Throwable[] failures)
            throws SQLException, RunCarefully, RetryBatch {
        var storeTx = open();
        for (int i = 0; i < batch.size(); i++) {
            versions.advance();
            long writesBefore = storeTx.jdbc().writes();
            try {
                results[i] = batch.get(i).work().run(storeTx);
            } catch (Exception e) {
                if (SqlConflicts.isTransient(e)) {
                    throw new RetryBatch(e);
                }
                // a failed statement also spoils the rest of a PostgreSQL transaction: only a savepoint recovers
                if (storeTx.jdbc().writes() != writesBefore || e instanceof Jdbc.DataAccessException
                        || e.getCause() instanceof SQLException) {
                    throw new RunCarefully();
                }
                failures[i] = e;
            }
        }
        try {
            storeTx.jdbc().flush();
        } catch (RuntimeException e) {
            if (SqlConflicts.isTransient(e)) {
                throw new RetryBatch(e);
            }
            throw new RunCarefully(); // which task's write failed is found under savepoints
        }
    }

    /**
     * Runs each task under its own savepoint, its batched writes sent before the savepoint is released. A task that
     * collides with a row another node inserted meanwhile (a unique key) runs once more: it now finds that row.
     */
    private void runCarefully(List<Task<?>> batch, Object[] results, Throwable[] failures)
            throws SQLException, RetryBatch {
        var storeTx = open();
        for (int i = 0; i < batch.size(); i++) {
            for (int attempt = 1; ; attempt++) {
                versions.advance();
                Savepoint sp = connection.setSavepoint();
                try {
                    results[i] = batch.get(i).work().run(storeTx);
                    storeTx.jdbc().flush();
                    connection.releaseSavepoint(sp);
                    break;
                } catch (Exception e) {
                    storeTx.jdbc().discardDeferred();
                    connection.rollback(sp);
                    onRollback.run();
                    if (SqlConflicts.isTransient(e)) {
                        throw new RetryBatch(e);
                    }
                    if (attempt == 1 && SqlConflicts.isUniqueViolation(e)) {
                        continue;
                    }
                    failures[i] = e;
                    break;
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Task<T> task, Object result, Throwable failure) {
        if (failure != null) {
            task.future().completeExceptionally(failure);
            return;
        }
        try {
            task.afterCommit().accept((T) result);
        } catch (RuntimeException e) {
            log.error("after-commit step failed; the write itself is committed", e);
        }
        task.future().complete((T) result);
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        running = false;
        deadlines.shutdownNow();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        completer.close();
    }
}

package io.imserver.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.imserver.store.Store;
import io.imserver.store.StoreUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Store} over JDBC: a one-connection write pool driven by the {@link GroupCommitWriter}, and a small read pool.
 * It runs on SQLite (the embedded default), PostgreSQL and MariaDB/MySQL; {@link Dialect} holds what differs.
 *
 * <p>The embedded default is SQLite in WAL mode with {@code synchronous=FULL}: a commit returns only once its WAL
 * frames are on disk, so an acknowledged message survives a crash of the process or the machine.
 *
 * @implNote SQLite won over H2 because measured here it commits 60-75k rows/s in batches (group commit) and its file
 * format is stable and inspectable with the {@code sqlite3} tool; H2's default commit is not durable when it returns.
 */
public final class JdbcStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);
    private static final int MAX_BATCH = 1024;
    private static final int MAX_QUEUED = 100_000;
    /** A WAL with this many frames (256 MiB of 4 KiB pages) is started over by the writer (SQLite). */
    static final int WAL_RESTART_FRAMES = 65_536;

    private final HikariDataSource writePool;
    private final HikariDataSource readPool;
    private final GroupCommitWriter writer;
    private final VersionClock versions;
    private final WriterCache cache = new WriterCache();
    /**
     * Probes the database for {@link #healthy()} and, on SQLite, checkpoints its WAL, or, on a shared database,
     * reserves the next block of message ids ahead: off every request's path, on two threads so that neither task
     * waits behind the other.
     */
    private final ScheduledExecutorService monitor;
    /** What the last probe found: whether a read connection answered {@code SELECT 1} in time. */
    private volatile boolean probeHealthy = true;
    /** Whether the last write ended in an outage (no connection, no answer, disk full); cleared by a commit. */
    private volatile boolean writesFailing;
    /** The WAL length, in frames, from which the writer starts it over (SQLite). */
    private final int walRestartFrames;
    /** Set by the checkpoint when the WAL is long; taken by the writer between two batches. */
    private volatile boolean walRestartDue;

    private final StoreOptions options;

    private JdbcStore(String url, Dialect dialect, StoreOptions options, int walRestartFrames,
                      java.time.Duration checkpointEvery) {
        this.walRestartFrames = walRestartFrames;
        if (options.shared() && !dialect.shareable()) {
            throw new IllegalArgumentException("dbUrl: " + url + " (expected: a PostgreSQL or MariaDB/MySQL database"
                    + " for a cluster; an SQLite file belongs to one node)");
        }
        this.options = options;
        // Flyway opens connections of its own: on PostgreSQL it holds a lock on one while migrating on another
        Flyway.configure()
                .dataSource(url, null, null)
                .locations(dialect.migrations())
                .load()
                .migrate();
        this.writePool = pool(url, dialect, "store-write", 1, true, options.timeout());
        this.readPool = pool(url, dialect, "store-read", dialect.readPoolSize(), false, options.timeout());
        this.versions = new VersionClock(highestVersion(writePool), options.versionSlot());
        // message ids come from the writer (no generated-key round trip per insert): from memory on SQLite, which
        // one node owns, and in blocks reserved in the database on engines that nodes can share
        this.monitor = Executors.newScheduledThreadPool(2,
                r -> Thread.ofPlatform().name("store-monitor").daemon(true).unstarted(r));
        java.util.function.LongSupplier messageIds = dialect.shareable()
                ? new IdBlocks(readPool, monitor, options.timeout())
                : new java.util.concurrent.atomic.AtomicLong(highestMessageId(writePool))::incrementAndGet;
        if (dialect.checkpointsItself()) {
            monitor.scheduleWithFixedDelay(this::checkpoint, checkpointEvery.toMillis(), checkpointEvery.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        monitor.scheduleWithFixedDelay(this::probe, 1, 1, TimeUnit.SECONDS);
        // shared: what the cache holds may be changed by another node once this batch's locks are released
        java.util.function.Consumer<Connection> beforeBatch = c -> {
            if (options.shared()) {
                cache.clearBatchScoped();
            }
            cache.trim();
            restartWalIfDue(c);
        };
        this.writer = new GroupCommitWriter(writePool,
                c -> JdbcStoreTx.writer(c, versions::current, cache, messageIds,
                        options.shared() ? dialect.lockingRead() : ""), versions,
                cache::clear, beforeBatch, options.leaseValid(), MAX_BATCH, MAX_QUEUED, options.timeout());
    }

    /** Opens (creating if needed) the embedded database {@code im.db} in {@code dataDir}. */
    public static JdbcStore embedded(Path dataDir) {
        return embedded(dataDir, StoreOptions.SINGLE_NODE);
    }

    /** As {@link #embedded(Path)}, with {@code options} (a single node's: SQLite is not shared). */
    public static JdbcStore embedded(Path dataDir, StoreOptions options) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the data directory " + dataDir.toAbsolutePath(), e);
        }
        String url = embeddedUrl(dataDir);
        log.info("embedded database: {}", url);
        return open(url, options);
    }

    /** As {@link #embedded(Path)}, checkpointed this often and its WAL started over at this length (tests). */
    static JdbcStore embedded(Path dataDir, int walRestartFrames, java.time.Duration checkpointEvery) {
        return new JdbcStore(embeddedUrl(dataDir), Dialect.SQLITE, StoreOptions.SINGLE_NODE, walRestartFrames,
                checkpointEvery);
    }

    /** The JDBC URL of the embedded database file {@code im.db} in {@code dataDir}. */
    private static String embeddedUrl(Path dataDir) {
        return "jdbc:sqlite:" + dataDir.toAbsolutePath().resolve("im.db");
    }

    /**
     * Opens the database at a JDBC URL: {@code jdbc:sqlite:FILE}, {@code jdbc:postgresql://...} or
     * {@code jdbc:mariadb://...} (also {@code jdbc:mysql://}), creating or migrating its tables.
     */
    public static JdbcStore open(String url) {
        return open(url, StoreOptions.SINGLE_NODE);
    }

    /** As {@link #open(String)}, shared with other nodes as {@code options} say. */
    public static JdbcStore open(String url, StoreOptions options) {
        var dialect = Dialect.of(url);
        log.info("database: {} ({}{})", url.replaceAll("password=[^&;]*", "password=***"), dialect,
                options.shared() ? ", shared by a cluster, version slot " + options.versionSlot() : "");
        return new JdbcStore(url, dialect, options, WAL_RESTART_FRAMES, java.time.Duration.ofSeconds(1));
    }

    private static HikariDataSource pool(String url, Dialect dialect, String name, int size, boolean writer,
                                         java.time.Duration timeout) {
        var config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setMaxLifetime(0); // the writer holds its connection for good
        // a database that is gone fails getConnection() after the timeout (Hikari's default: 30 s)
        config.setConnectionTimeout(timeout.toMillis());
        config.setValidationTimeout(Math.max(250, timeout.toMillis() / 2));
        config.setExceptionOverrideClassName(EvictAfterOutage.class.getName());
        dialect.configure(config, writer, timeout);
        return new HikariDataSource(config);
    }

    private static long highestMessageId(HikariDataSource pool) {
        try (Connection c = pool.getConnection()) {
            return new Jdbc(c).scalar("SELECT COALESCE(MAX(id), 0) FROM messages");
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the highest message id: " + e.getMessage(), e);
        }
    }

    private static long highestVersion(HikariDataSource pool) {
        try (Connection c = pool.getConnection()) {
            var jdbc = new Jdbc(c);
            return Math.max(jdbc.scalar("SELECT COALESCE(MAX(version), 0) FROM conversations"),
                    jdbc.scalar("SELECT COALESCE(MAX(version), 0) FROM im_groups"));
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the highest version: " + e.getMessage(), e);
        }
    }

    @Override
    public <T> CompletableFuture<T> write(Work<T> work, Consumer<? super T> afterCommit,
                                          java.util.List<io.imserver.store.HeadKey> heads,
                                          io.imserver.store.SentKey clientMsgId) {
        // a write the database cannot take in time fails with StoreUnavailableException (GroupCommitWriter)
        return writer.submit(work, afterCommit, options.shared() ? heads : java.util.List.of(), clientMsgId)
                .whenComplete((result, failure) -> writesFailing = failure != null
                        && (failure instanceof StoreUnavailableException
                            || failure.getCause() instanceof StoreUnavailableException));
    }

    @Override
    public <T> T read(Work<T> work) {
        try (Connection c = readPool.getConnection()) {
            return work.run(JdbcStoreTx.reader(c, this::readFloor, cache));
        } catch (SQLException e) {
            throw new StoreUnavailableException("no read connection: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("read failed: " + e.getMessage(), e);
        }
    }

    /** The version a reader answers with: nothing at or below it is in flight on this node or any other. */
    private long readFloor() {
        return Math.min(versions.committed(), options.clusterVersionFloor().getAsLong());
    }

    @Override
    public void invalidateCaches() {
        cache.users.clear(); // the writer's other maps live for one batch when the database is shared
    }

    @Override
    public long versionFloor() {
        return versions.floor();
    }

    /**
     * Whether the database serves: the last probe (once a second, {@code SELECT 1} within the timeout) answered and
     * the last write did not fail for want of the database. Never waits for the database itself.
     */
    @Override
    public boolean healthy() {
        return probeHealthy && !writesFailing;
    }

    private void probe() {
        boolean ok;
        try (Connection c = readPool.getConnection(); var st = c.createStatement()) {
            st.setQueryTimeout((int) Math.max(1, options.timeout().toSeconds()));
            ok = st.execute("SELECT 1");
        } catch (SQLException | RuntimeException e) {
            if (probeHealthy) {
                log.warn("database probe failed: {}", e.getMessage());
            }
            ok = false;
        }
        if (ok && !probeHealthy) {
            log.info("database probe answers again");
        }
        probeHealthy = ok;
    }

    /**
     * Copies committed WAL frames into the database file from a read connection, off the writer's commit path; once
     * the WAL holds {@link #WAL_RESTART_FRAMES} frames, the writer starts it over before its next batch: the WAL file
     * stays about that size (plus a second of writes) and is written over in place.
     *
     * @implNote SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL pages, so that one
     * commit (and every message in its batch) waits for the copy and its fsync: a latency spike every few thousand
     * messages. A PASSIVE checkpoint from another connection never blocks the writer, but under steady writes it
     * never reaches the WAL's last frame either, and SQLite starts the WAL over only once one has: the WAL grew by
     * 55 MB/s in a closed loop (2.6 GB after 45 s), and every commit appended to new file blocks, which ext4 zeroes
     * first (18 % of the writer's CPU, by {@code perf}). A RESTART checkpoint from this connection instead made the
     * writer's next batch fail with {@code SQLITE_BUSY} (a transaction that has read does not wait for the write lock).
     */
    private void checkpoint() {
        try (Connection c = readPool.getConnection()) {
            if (walCheckpoint(c, "PASSIVE") < walRestartFrames) {
                return;
            }
            // catch up with the writer first, so that its restart has only the last few commits to copy
            for (int i = 0; i < 20; i++) {
                long started = System.nanoTime();
                walCheckpoint(c, "PASSIVE");
                if (System.nanoTime() - started < CAUGHT_UP_NANOS) {
                    break;
                }
            }
            walRestartDue = true;
        } catch (SQLException | RuntimeException e) {
            log.warn("WAL checkpoint failed (it is retried in a second): {}", e.getMessage());
        }
    }

    /** A PASSIVE checkpoint this short found little to copy: the writer's restart will too. */
    private static final long CAUGHT_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(3);
    /** How long the writer's WAL restart waits for readers to leave the WAL. */
    private static final int RESTART_WAIT_MILLIS = 100;

    /**
     * On the writer's connection, between batches (no transaction open): copies the frames written since the last
     * PASSIVE checkpoint and waits for readers to leave the WAL, so that the next commit writes it from its start.
     */
    private void restartWalIfDue(Connection writer) {
        if (!walRestartDue) {
            return;
        }
        walRestartDue = false;
        try (var st = writer.createStatement()) {
            // readers still in the WAL are waited for briefly; if one stays, the restart is tried again later
            st.execute("PRAGMA busy_timeout = " + RESTART_WAIT_MILLIS);
            try {
                walCheckpoint(writer, "RESTART");
            } finally {
                st.execute("PRAGMA busy_timeout = " + Dialect.SQLITE_BUSY_TIMEOUT_MILLIS);
            }
        } catch (SQLException e) {
            log.warn("WAL restart failed (tried again after the next checkpoint): {}", e.getMessage());
        }
    }

    /** @return how many frames the WAL holds */
    private static int walCheckpoint(Connection c, String mode) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            return rs.next() ? rs.getInt(2) : 0;
        }
    }

    @Override
    public void close() {
        // the writer first: the writes it still completes may take the id block being reserved on the monitor,
        // which shutdownNow() would drop unrun, leaving the writer waiting for it until the database timeout
        writer.close();
        monitor.shutdownNow();
        readPool.close();
        writePool.close();
    }
}

package io.imserver.store.jdbc;

import com.zaxxer.hikari.HikariConfig;

/**
 * What differs between the database engines the store runs on: migration scripts, connection settings and the
 * SQLite-only WAL checkpoint. The repositories' SQL is the same on all three (ANSI plus {@code RETURNING},
 * {@code LIMIT ... OFFSET}).
 */
enum Dialect {
    /** The embedded default: WAL, {@code synchronous=FULL} (a commit returns once its WAL frames are fsynced). */
    SQLITE("sqlite", 4) {
        @Override
        void configure(HikariConfig config, boolean writer, java.time.Duration timeout) {
            if (writer) {
                config.setConnectionInitSql("PRAGMA wal_autocheckpoint = 0"); // see JdbcStore.checkpoint()
            }
            config.addDataSourceProperty("journal_mode", "WAL");
            // a WAL that grew far past its restart size (a long reader held it) is cut back when it starts over
            config.addDataSourceProperty("journal_size_limit", Long.toString(2 * JdbcStore.WAL_RESTART_FRAMES * 4096L));
            config.addDataSourceProperty("synchronous", "FULL");
            config.addDataSourceProperty("busy_timeout", Integer.toString(SQLITE_BUSY_TIMEOUT_MILLIS));
            config.addDataSourceProperty("foreign_keys", "false");
            config.addDataSourceProperty("jdbc.get_generated_keys", "false");
        }
    },
    /** PostgreSQL 12+; durable with its default {@code synchronous_commit=on}. */
    POSTGRESQL("postgresql", 8) {
        @Override
        void configure(HikariConfig config, boolean writer, java.time.Duration timeout) {
            // a database that stops answering (dropped packets) fails a statement after this instead of hanging;
            // a value in the JDBC URL wins
            String seconds = Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000));
            config.addDataSourceProperty("socketTimeout", seconds);
            config.addDataSourceProperty("connectTimeout", seconds);
            config.addDataSourceProperty("loginTimeout", seconds);
            config.addDataSourceProperty("prepareThreshold", "1"); // server-side statements from the first use
            config.addDataSourceProperty("reWriteBatchedInserts", "true"); // a batch of inserts: multi-row VALUES
        }
    },
    /** MariaDB 10.5+ (for {@code INSERT ... RETURNING}); durable with InnoDB's default log flush at commit. */
    MARIADB("mysql", 8) {
        @Override
        void configure(HikariConfig config, boolean writer, java.time.Duration timeout) {
            // as PostgreSQL: a statement of a database that stopped answering fails after this
            config.addDataSourceProperty("socketTimeout", Long.toString(timeout.toMillis()));
            config.addDataSourceProperty("connectTimeout", Long.toString(timeout.toMillis()));
            config.addDataSourceProperty("useServerPrepStmts", "true");
            config.addDataSourceProperty("cachePrepStmts", "true");
            // as PostgreSQL: a locking read of a row that does not exist takes no gap lock, fewer deadlocks between nodes
            config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        }
    };

    /** How long an SQLite connection waits for a lock another holds (a checkpoint, the writer) before it fails. */
    static final int SQLITE_BUSY_TIMEOUT_MILLIS = 10_000;

    private final String migrations;
    private final int readPoolSize;

    Dialect(String migrations, int readPoolSize) {
        this.migrations = migrations;
        this.readPoolSize = readPoolSize;
    }

    /** The dialect of a JDBC URL. */
    static Dialect of(String url) {
        if (url.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        throw new IllegalArgumentException("dbUrl: " + url
                + " (expected: jdbc:sqlite:..., jdbc:postgresql://... or jdbc:mariadb://...)");
    }

    /** Flyway's location of this engine's migration scripts. */
    String migrations() {
        return "classpath:db/migration/" + migrations;
    }

    int readPoolSize() {
        return readPoolSize;
    }

    /**
     * Engine settings of a pool's connections; {@code writer}: the store writer's one connection; {@code timeout}:
     * the longest a connect or a statement may wait for the server.
     */
    abstract void configure(HikariConfig config, boolean writer, java.time.Duration timeout);

    /** Whether several nodes may share a database of this engine (a server, not a file). */
    boolean shareable() {
        return this != SQLITE;
    }

    /** The clause that locks the rows a writer's SELECT reads until its transaction ends. */
    String lockingRead() {
        return this == SQLITE ? "" : " FOR UPDATE";
    }

    /** Whether the store must checkpoint the write-ahead log itself (SQLite with automatic checkpoints off). */
    boolean checkpointsItself() {
        return this == SQLITE;
    }
}

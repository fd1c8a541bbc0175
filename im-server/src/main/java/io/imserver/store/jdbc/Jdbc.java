package io.imserver.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Thin prepared-statement helpers shared by the repositories; SQLExceptions become unchecked with the SQL named. */
final class Jdbc {

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final Connection connection;
    /** Prepared statements kept open for reuse (the writer's long-lived connection), or null: close after use. */
    private final Map<String, PreparedStatement> statements;
    /** The writer's deferred statements and their rows, in first-use order: see {@link #defer}. */
    private final Map<String, Deferred> deferred = new java.util.LinkedHashMap<>();
    private long writes;

    /** Rows of one deferred statement: in order, or by key where a later row merges into the pending one. */
    private record Deferred(String table, boolean exactlyOneRow, Map<Object, Object[]> rows) {
    }

    /** Statements are prepared for each use and closed. */
    Jdbc(Connection connection) {
        this(connection, false);
    }

    /** @param reuseStatements keep prepared statements open for the life of the connection */
    Jdbc(Connection connection, boolean reuseStatements) {
        this.connection = connection;
        this.statements = reuseStatements ? new HashMap<>() : null;
    }

    <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) {
        flush();
        return listBesidesDeferred(sql, mapper, params);
    }

    /**
     * As {@link #list}, without first sending the deferred rows: for a read of one table whose deferred rows the
     * caller knows of by other means. Rows deferred on other tables cannot change its answer.
     *
     * @implNote A send with a client message id reads its dedup entry before it writes; flushing for that read
     *     sent every message's rows on its own (a round trip each against PostgreSQL) and cost SQLite 40 % of its
     *     closed-loop throughput.
     */
    <T> List<T> listBesidesDeferred(String sql, RowMapper<T> mapper, Object... params) {
        PreparedStatement ps = null;
        try {
            ps = prepare(sql, params);
            try (ResultSet rs = ps.executeQuery()) {
                var out = new ArrayList<T>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw failed(sql, e);
        } finally {
            release(ps);
        }
    }

    <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) {
        var rows = list(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    long scalar(String sql, Object... params) {
        return one(sql, rs -> rs.getLong(1), params).orElse(0L);
    }

    int update(String sql, Object... params) {
        flush();
        writes++;
        PreparedStatement ps = null;
        try {
            ps = prepare(sql, params);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failed(sql, e);
        } finally {
            release(ps);
        }
    }

    /**
     * Runs an INSERT and returns the generated key, by {@code RETURNING} (SQLite 3.35+, PostgreSQL, MariaDB 10.5+):
     * the driver's generated-keys support is off, as it costs a regex match on every update.
     */
    long insert(String keyColumn, String sql, Object... params) {
        flush();
        writes++;
        return one(sql + " RETURNING " + keyColumn, rs -> rs.getLong(1), params)
                .orElseThrow(() -> new IllegalStateException("no generated key for: " + sql));
    }

    /**
     * The writer's write whose result nobody reads: kept and sent with the other rows of that statement as one batch
     * by {@link #flush()}, which runs before any other statement, before a savepoint is released and before the
     * commit; so every read still sees every earlier write. Statements on different tables commute; a second
     * statement on a table with rows pending under another flushes first, to keep their order.
     *
     * @param exactlyOneRow whether each row must change exactly one row (checked at the flush; else it fails)
     * @implNote Against PostgreSQL or MariaDB every statement is a network round trip, and one message is four
     *     (two copies, two conversation heads): batching them per commit group took the store from about 3,300
     *     messages/s to the figures of docs/BENCHMARKS.md. Executing at once and checking the count there lost.
     */
    void defer(String table, boolean exactlyOneRow, String sql, Object... params) {
        pending(table, sql, exactlyOneRow).rows().put(new Object(), params);
    }

    /**
     * {@link #defer} of a row that replaces the pending row with the same {@code key} by {@code merge(pending, row)}:
     * many moves of one stream head in a batch become one UPDATE. Each row changes exactly one row.
     */
    void deferMerging(String table, Object key, java.util.function.BinaryOperator<Object[]> merge, String sql,
                      Object... params) {
        pending(table, sql, true).rows().merge(key, params, merge);
    }

    private Deferred pending(String table, String sql, boolean exactlyOneRow) {
        if (statements == null) {
            throw new IllegalStateException("only the writer defers statements: " + sql);
        }
        for (var d : deferred.entrySet()) {
            if (d.getValue().table().equals(table) && !d.getKey().equals(sql)) {
                flush();
                break;
            }
        }
        writes++;
        return deferred.computeIfAbsent(sql, k -> new Deferred(table, exactlyOneRow, new java.util.LinkedHashMap<>()));
    }

    /** Runs the deferred rows, statement by statement in first-use order; on a failure none stays pending. */
    void flush() {
        if (deferred.isEmpty()) {
            return;
        }
        try {
            for (var d : deferred.entrySet()) {
                String sql = d.getKey();
                int[] counts;
                try {
                    PreparedStatement ps = null;
                    for (Object[] row : d.getValue().rows().values()) {
                        ps = prepare(sql, row);
                        ps.addBatch();
                    }
                    counts = ps.executeBatch();
                } catch (SQLException e) {
                    throw failed(sql, e);
                }
                if (d.getValue().exactlyOneRow()) {
                    for (int count : counts) {
                        if (count != 1 && count != java.sql.Statement.SUCCESS_NO_INFO) {
                            throw new IllegalStateException("a batched write changed " + count
                                    + " rows (expected: 1): " + sql);
                        }
                    }
                }
            }
        } finally {
            discardDeferred();
        }
    }

    /** Drops the deferred rows unsent (their savepoint or transaction is being rolled back). */
    void discardDeferred() {
        for (var sql : deferred.keySet()) {
            var ps = statements.get(sql);
            if (ps != null) {
                try {
                    ps.clearBatch();
                } catch (SQLException e) {
                    throw failed("clear batch", e);
                }
            }
        }
        deferred.clear();
    }

    /** Placeholders for an {@code IN (...)} list and their parameters, as {@link #padded} makes them. */
    record PaddedRows(String placeholders, Object[] params) {
    }

    /**
     * The rows of {@code keys} (each {@code columns(key)}) as {@code IN} list placeholders and parameters, padded with
     * the last key to a power of two rows: a handful of statement shapes serve any number of keys, so the writer's
     * statement cache stays small.
     */
    static <K> PaddedRows padded(List<K> keys, java.util.function.Function<K, Object[]> columns) {
        int n = 1;
        while (n < keys.size()) {
            n <<= 1;
        }
        var placeholders = new StringBuilder();
        var params = new ArrayList<Object>();
        for (int i = 0; i < n; i++) {
            Object[] row = columns.apply(keys.get(Math.min(i, keys.size() - 1)));
            placeholders.append(i == 0 ? "" : ", ").append(row.length == 1 ? "?"
                    : "(" + String.join(", ", java.util.Collections.nCopies(row.length, "?")) + ")");
            java.util.Collections.addAll(params, row);
        }
        return new PaddedRows(placeholders.toString(), params.toArray());
    }

    /** How many writes (run or deferred) this connection has had: a task that added none has nothing to undo. */
    long writes() {
        return writes;
    }

    private PreparedStatement prepare(String sql, Object... params) throws SQLException {
        PreparedStatement ps = statements == null ? null : statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            if (statements != null) {
                statements.put(sql, ps);
            }
        }
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }

    private void release(PreparedStatement ps) {
        if (ps != null && statements == null) {
            try {
                ps.close();
            } catch (SQLException e) {
                throw failed("close statement", e);
            }
        }
    }

    private static RuntimeException failed(String sql, SQLException e) {
        if (SqlOutages.isOutage(e)) {
            return new io.imserver.store.StoreUnavailableException("the database cannot serve (" + e.getMessage()
                    + "): " + sql, e);
        }
        return new DataAccessException("SQL failed (" + e.getMessage() + "): " + sql, e);
    }

    /** A failed statement; the enclosing write is rolled back to its savepoint. */
    static final class DataAccessException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DataAccessException(String message, SQLException cause) {
            super(message, cause);
        }
    }
}

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
        return one(sql + " RETURNING " + keyColumn, rs -> rs.getLong(1), params)
                .orElseThrow(() -> new IllegalStateException("no generated key for: " + sql));
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

package io.imserver.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
            ps = prepare(sql, false, params);
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
            ps = prepare(sql, false, params);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failed(sql, e);
        } finally {
            release(ps);
        }
    }

    long insert(String sql, Object... params) {
        PreparedStatement ps = null;
        try {
            ps = prepare(sql, true, params);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new IllegalStateException("no generated key for: " + sql);
                }
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw failed(sql, e);
        } finally {
            release(ps);
        }
    }

    private PreparedStatement prepare(String sql, boolean keys, Object... params) throws SQLException {
        PreparedStatement ps = statements == null ? null : statements.get(sql);
        if (ps == null) {
            ps = keys
                    ? connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)
                    : connection.prepareStatement(sql);
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

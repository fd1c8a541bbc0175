package io.imserver.store.jdbc;

import java.sql.SQLException;

/** Reads what kind of conflict between concurrent transactions a failure was, on PostgreSQL and MariaDB/MySQL. */
final class SqlConflicts {
    private SqlConflicts() {
    }

    /**
     * A deadlock, a serialization failure or a lock wait timeout: the transaction lost to another one and may
     * succeed when run again from the start.
     */
    static boolean isTransient(Throwable failure) {
        for (var e = failure; e != null; e = e.getCause()) {
            if (e instanceof SQLException sql && isTransient(sql)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransient(SQLException e) {
        for (var next = e; next != null; next = next.getNextException()) {
            String state = next.getSQLState();
            // 40001 serialization failure (MariaDB deadlock 1213 too), 40P01 PostgreSQL deadlock, 1205 lock wait
            if ("40001".equals(state) || "40P01".equals(state) || next.getErrorCode() == 1213
                    || next.getErrorCode() == 1205) {
                return true;
            }
        }
        return false;
    }

    /** A unique key already held by a row another transaction committed. */
    static boolean isUniqueViolation(Throwable failure) {
        for (var e = failure; e != null; e = e.getCause()) {
            if (e instanceof SQLException sql) {
                for (var next = sql; next != null; next = next.getNextException()) {
                    // 23505 PostgreSQL; 23000 with error 1062 MariaDB/MySQL
                    if ("23505".equals(next.getSQLState()) || next.getErrorCode() == 1062) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}

package io.imserver.store.jdbc;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database that cannot serve (connection lost or refused, no answer in time, disk full) from a statement
 * that failed on its own: the first is answered {@code SERVER_BUSY} and retried by the client, the second is a bug.
 */
final class SqlOutages {
    /** SQLite's result codes for an I/O error and a full database or disk. */
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_FULL = 13;

    private SqlOutages() {
    }

    static boolean isOutage(Throwable failure) {
        for (var e = failure; e != null; e = e.getCause()) {
            if (e instanceof SQLException sql && isOutage(sql)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOutage(SQLException e) {
        if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLRecoverableException || e instanceof SQLTimeoutException) {
            return true;
        }
        String state = e.getSQLState();
        // 08 connection exception, 53 insufficient resources (disk full, out of memory), 57P0x server shut down
        if (state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P0")
                || state.equals("HYT00"))) {
            return true;
        }
        // sqlite-jdbc reports the primary result code (the low byte of an extended one) as the error code
        int sqlite = e.getErrorCode() & 0xff;
        return e.getClass().getName().startsWith("org.sqlite.")
                && (sqlite == SQLITE_FULL || sqlite == SQLITE_IOERR);
    }
}

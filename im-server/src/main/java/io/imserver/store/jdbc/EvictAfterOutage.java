package io.imserver.store.jdbc;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Tells the connection pool to close, not reuse, a connection that met an outage ({@link SqlOutages}). Named in
 * each pool's configuration; the pool creates it.
 *
 * @implNote After SQLITE_FULL or an I/O error SQLite rolls the open transaction back by itself, while sqlite-jdbc
 *     still believes one is open: every later commit on that connection failed with "cannot commit - no transaction
 *     is active", so the store wrote nothing until a restart even after space returned. A new connection starts
 *     clean. PostgreSQL and MariaDB connection failures (SQLState 08) are evicted by the pool anyway.
 */
public final class EvictAfterOutage implements SQLExceptionOverride {
    @java.lang.Override
    public Override adjudicate(SQLException e) {
        return SqlOutages.isOutage(e) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }
}

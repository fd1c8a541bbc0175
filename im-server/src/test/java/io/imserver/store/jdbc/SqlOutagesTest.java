package io.imserver.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class SqlOutagesTest {

    @Test
    void aFullSqliteDatabase_isAnOutage() throws Exception {
        var file = Files.createTempDirectory("outages").resolve("full.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file + "?max_page_count=8");
             var st = c.createStatement()) {
            st.execute("CREATE TABLE t (b BLOB)");
            var full = catchThrowableOfType(SQLException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    st.execute("INSERT INTO t VALUES (randomblob(4096))");
                }
            });
            assertThat((Throwable) full).as("SQLITE_FULL").isNotNull();
            assertThat(SqlOutages.isOutage(full)).isTrue();
            // as the repositories throw it: wrapped
            assertThat(SqlOutages.isOutage(new RuntimeException(full))).isTrue();
        }
    }

    @Test
    void lostConnectionsAndTimeouts_areOutages() {
        assertThat(SqlOutages.isOutage(new SQLException("An I/O error occurred", "08006"))).isTrue();
        assertThat(SqlOutages.isOutage(new SQLException("the database system is shutting down", "57P03"))).isTrue();
        assertThat(SqlOutages.isOutage(new SQLException("could not extend file: No space left", "53100"))).isTrue();
        assertThat(SqlOutages.isOutage(new SQLTransientConnectionException("Connection is not available"))).isTrue();
    }

    @Test
    void statementsThatFailOnTheirOwn_areNot() {
        assertThat(SqlOutages.isOutage(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(SqlOutages.isOutage(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(SqlOutages.isOutage(new SQLException("deadlock detected", "40P01"))).isFalse();
        assertThat(SqlOutages.isOutage(new IllegalStateException("no"))).isFalse();
    }
}

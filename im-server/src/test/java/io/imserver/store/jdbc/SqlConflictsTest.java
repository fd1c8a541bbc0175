package io.imserver.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SqlConflictsTest {

    @Test
    void deadlocksAndSerializationFailures_areTransient_onBothEngines() {
        assertThat(SqlConflicts.isTransient(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(SqlConflicts.isTransient(new SQLException("could not serialize", "40001"))).isTrue();
        assertThat(SqlConflicts.isTransient(new SQLException("Deadlock found", "40001", 1213))).isTrue();
        assertThat(SqlConflicts.isTransient(new SQLException("Lock wait timeout", "HY000", 1205))).isTrue();
        // wrapped, as the repositories throw them
        assertThat(SqlConflicts.isTransient(new Jdbc.DataAccessException("SQL failed",
                new SQLException("deadlock detected", "40P01")))).isTrue();
    }

    @Test
    void otherFailures_areNot() {
        assertThat(SqlConflicts.isTransient(new SQLException("syntax", "42601"))).isFalse();
        assertThat(SqlConflicts.isTransient(new IllegalStateException("no"))).isFalse();
        assertThat(SqlConflicts.isUniqueViolation(new SQLException("syntax", "42601"))).isFalse();
    }

    @Test
    void uniqueViolations_areRecognised_onBothEngines() {
        assertThat(SqlConflicts.isUniqueViolation(new SQLException("duplicate key", "23505"))).isTrue();
        assertThat(SqlConflicts.isUniqueViolation(new SQLException("Duplicate entry", "23000", 1062))).isTrue();
        var batch = new java.sql.BatchUpdateException("batch failed", "", new int[0]);
        batch.setNextException(new SQLException("duplicate key", "23505"));
        assertThat(SqlConflicts.isUniqueViolation(batch)).isTrue();
    }
}

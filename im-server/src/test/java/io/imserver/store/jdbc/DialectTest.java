package io.imserver.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DialectTest {
    @Test
    void theUrl_choosesTheEngine_andItsMigrations() {
        assertThat(Dialect.of("jdbc:sqlite:/tmp/im.db")).isEqualTo(Dialect.SQLITE);
        assertThat(Dialect.of("jdbc:postgresql://127.0.0.1:5432/im?user=im")).isEqualTo(Dialect.POSTGRESQL);
        assertThat(Dialect.of("jdbc:mariadb://127.0.0.1:3306/im")).isEqualTo(Dialect.MARIADB);
        assertThat(Dialect.of("jdbc:mysql://127.0.0.1:3306/im")).isEqualTo(Dialect.MARIADB);
        assertThat(Dialect.POSTGRESQL.migrations()).isEqualTo("classpath:db/migration/postgresql");
        assertThat(Dialect.MARIADB.migrations()).isEqualTo("classpath:db/migration/mysql");
        assertThat(Dialect.SQLITE.checkpointsItself()).isTrue();
        assertThat(Dialect.POSTGRESQL.checkpointsItself()).isFalse();
    }

    @Test
    void anotherEngine_isRefusedWithTheUrlsThatWork() {
        assertThatThrownBy(() -> Dialect.of("jdbc:h2:mem:x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dbUrl: jdbc:h2:mem:x (expected: jdbc:sqlite:..., jdbc:postgresql://... or jdbc:mariadb://...)");
    }
}

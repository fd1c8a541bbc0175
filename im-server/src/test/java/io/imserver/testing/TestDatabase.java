package io.imserver.testing;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A fresh, empty database on the engine named by the system property {@code im.test.db}: {@code postgresql}
 * (127.0.0.1:5432, user postgres, trust) or {@code mariadb} (127.0.0.1:3306, root without password); unset or
 * {@code sqlite}: none, the server's embedded SQLite in its data directory. Dropped again by {@link #close()}.
 */
public final class TestDatabase implements AutoCloseable {
    /** The engine the integration tests run on. */
    public static final String ENGINE = System.getProperty("im.test.db", "sqlite");

    private final String adminUrl;
    private final String name;
    private final String url;

    private final boolean postgresql;

    private TestDatabase(String adminUrl, String name, String url) {
        this.postgresql = adminUrl.startsWith("jdbc:postgresql:");
        this.adminUrl = adminUrl;
        this.name = name;
        this.url = url;
    }

    /** A new database on {@link #ENGINE}, or null for the embedded SQLite. */
    public static TestDatabase createIfOutside() {
        return create(ENGINE);
    }

    /** A new database on {@code engine} ({@code postgresql} or {@code mariadb}), or null for {@code sqlite}. */
    public static TestDatabase create(String engine) {
        String name = "imt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        var db = switch (engine) {
            case "sqlite" -> null;
            case "postgresql" -> new TestDatabase("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres", name,
                    "jdbc:postgresql://127.0.0.1:5432/" + name + "?user=postgres");
            case "mariadb" -> new TestDatabase("jdbc:mariadb://127.0.0.1:3306/?user=root", name,
                    "jdbc:mariadb://127.0.0.1:3306/" + name + "?user=root");
            default -> throw new IllegalArgumentException(
                    "im.test.db: " + engine + " (expected: sqlite, postgresql or mariadb)");
        };
        if (db != null) {
            db.execute("CREATE DATABASE " + name);
        }
        return db;
    }

    /** The JDBC URL for the server's {@code dbUrl}. */
    public String url() {
        return url;
    }

    private void execute(String sql) {
        try (var c = DriverManager.getConnection(adminUrl); var st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(adminUrl + ": " + sql + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        execute(postgresql ? "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"
                : "DROP DATABASE IF EXISTS " + name);
    }
}

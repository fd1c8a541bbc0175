package io.imserver.store.jdbc;

import io.imserver.store.App;
import io.imserver.store.AppLimits;
import io.imserver.store.AppRepository;
import java.util.Optional;

final class JdbcAppRepository implements AppRepository {
    private final Jdbc jdbc;

    JdbcAppRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<App> find(long appId) {
        return jdbc.one("SELECT app_id, name, secret, created_at, updated_at FROM apps WHERE app_id = ?",
                rs -> new App(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)), appId);
    }

    @Override
    public App upsert(long appId, String name, String secretIfNew, long nowMs) {
        if (jdbc.update("UPDATE apps SET name = ?, updated_at = ? WHERE app_id = ?", name, nowMs, appId) == 0) {
            jdbc.update("INSERT INTO apps (app_id, name, secret, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                    appId, name, secretIfNew, nowMs, nowMs);
        }
        return find(appId).orElseThrow();
    }

    @Override
    public int maxGroupMembers(long appId) {
        return jdbc.one("SELECT max_group_members FROM apps WHERE app_id = ?", rs -> rs.getInt(1), appId).orElse(0);
    }

    @Override
    public boolean setMaxGroupMembers(long appId, int max, long nowMs) {
        return jdbc.update("UPDATE apps SET max_group_members = ?, updated_at = ? WHERE app_id = ?", max, nowMs,
                appId) > 0;
    }

    @Override
    public AppLimits limits(long appId) {
        return jdbc.one("SELECT rate_conn_per_s, rate_conn_burst, rate_user_per_s, rate_user_burst FROM apps"
                        + " WHERE app_id = ?",
                rs -> new AppLimits(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4)), appId)
                .orElse(AppLimits.NONE);
    }

    @Override
    public boolean setLimits(long appId, AppLimits limits, long nowMs) {
        return jdbc.update("UPDATE apps SET rate_conn_per_s = ?, rate_conn_burst = ?, rate_user_per_s = ?,"
                        + " rate_user_burst = ?, updated_at = ? WHERE app_id = ?", limits.connPerSecond(),
                limits.connBurst(), limits.userPerSecond(), limits.userBurst(), nowMs, appId) > 0;
    }
}

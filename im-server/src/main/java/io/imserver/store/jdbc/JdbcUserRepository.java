package io.imserver.store.jdbc;

import io.imserver.store.User;
import io.imserver.store.UserRepository;
import java.util.Optional;

final class JdbcUserRepository implements UserRepository {
    private final Jdbc jdbc;
    private final WriterCache cache;
    private final boolean writer;

    /** @param writer whether this is the writer's repository (the only one that fills the cache) */
    JdbcUserRepository(Jdbc jdbc, WriterCache cache, boolean writer) {
        this.jdbc = jdbc;
        this.cache = cache;
        this.writer = writer;
    }

    @Override
    public Optional<User> find(long appId, long userId) {
        var key = new WriterCache.UserKey(appId, userId);
        var cached = cache.users.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        var found = load(appId, userId);
        if (writer) {
            found.ifPresent(u -> cache.users.put(key, u));
        }
        return found;
    }

    private Optional<User> load(long appId, long userId) {
        return jdbc.one("SELECT app_id, user_id, nickname, avatar_url, sex, sign, account, created_at, updated_at"
                        + " FROM users WHERE app_id = ? AND user_id = ?",
                rs -> new User(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                        rs.getString(6), rs.getString(7), rs.getLong(8), rs.getLong(9)),
                appId, userId);
    }

    @Override
    public User upsert(User u) {
        cache.users.remove(new WriterCache.UserKey(u.appId(), u.userId()));
        int updated = jdbc.update("UPDATE users SET nickname = ?, avatar_url = ?, sex = ?, sign = ?, account = ?,"
                        + " updated_at = ? WHERE app_id = ? AND user_id = ?",
                u.nickname(), u.avatarUrl(), u.sex(), u.sign(), u.account(), u.updatedAt(), u.appId(), u.userId());
        if (updated == 0) {
            jdbc.update("INSERT INTO users (app_id, user_id, nickname, avatar_url, sex, sign, account, created_at,"
                            + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    u.appId(), u.userId(), u.nickname(), u.avatarUrl(), u.sex(), u.sign(), u.account(),
                    u.createdAt(), u.updatedAt());
        }
        return find(u.appId(), u.userId()).orElseThrow();
    }
}

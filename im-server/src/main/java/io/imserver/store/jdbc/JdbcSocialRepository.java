package io.imserver.store.jdbc;

import io.imserver.store.Examine;
import io.imserver.store.Friend;
import io.imserver.store.SocialRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * @implNote The send path asks {@link #blocks}, {@link #areFriends} and {@link #friendsOnly} for every 1:1 message;
 * the writer answers them from its cache, which its own writes here keep current. An app whose users block nobody
 * and that is not friends-only costs one query (per app, per batch where nodes share the database), not one per pair.
 */
final class JdbcSocialRepository implements SocialRepository {
    private static final String FRIEND_COLUMNS = "f.app_id, f.user_id, f.friend_id, f.remark, f.way, f.created_at,"
            + " f.updated_at, COALESCE(u.nickname, ''), COALESCE(u.avatar_url, '')";
    private static final String FRIENDS_FROM = " FROM friends f LEFT JOIN users u ON u.app_id = f.app_id"
            + " AND u.user_id = f.friend_id";
    private static final String EXAMINE_COLUMNS = "e.id, e.app_id, e.requester_id, e.type, e.target_id, e.remark,"
            + " e.way, e.examinetext, e.examine, e.is_read, e.created_at, e.updated_at, COALESCE(u.nickname, ''),"
            + " COALESCE(u.avatar_url, '')";
    private static final String EXAMINES_FROM = " FROM examines e LEFT JOIN users u ON u.app_id = e.app_id"
            + " AND u.user_id = e.requester_id";
    /** Requests addressed to a user: (app, user, app, user) as parameters. */
    private static final String ADDRESSED_TO = " e.app_id = ? AND ((e.type = 1 AND e.target_id = ?) OR (e.type = 2"
            + " AND e.target_id IN (SELECT m.group_id FROM group_members m WHERE m.app_id = ? AND m.user_id = ?"
            + " AND m.role > 1)))";

    private final Jdbc jdbc;
    private final WriterCache cache;

    /** @param cache the writer's cache, or null for a reader */
    JdbcSocialRepository(Jdbc jdbc, WriterCache cache) {
        this.jdbc = jdbc;
        this.cache = cache;
    }

    private static Friend friend(ResultSet rs) throws SQLException {
        return new Friend(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getInt(5), rs.getLong(6),
                rs.getLong(7), rs.getString(8), rs.getString(9));
    }

    private static Examine examine(ResultSet rs) throws SQLException {
        return new Examine(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getLong(5), rs.getString(6),
                rs.getInt(7), rs.getString(8), rs.getInt(9), rs.getInt(10) == 1, rs.getLong(11), rs.getLong(12),
                rs.getString(13), rs.getString(14));
    }

    @Override
    public boolean friendsOnly(long appId) {
        return rules(appId).friendsOnly();
    }

    private WriterCache.AppRules rules(long appId) {
        if (cache == null) {
            return loadRules(appId);
        }
        return cache.appRules.computeIfAbsent(appId, this::loadRules);
    }

    /** One query per app (and, where nodes share the database, per batch) for apps without blocks. */
    private WriterCache.AppRules loadRules(long appId) {
        return jdbc.one("SELECT a.friends_only, CASE WHEN EXISTS (SELECT 1 FROM blocks b WHERE b.app_id = a.app_id)"
                        + " THEN 1 ELSE 0 END FROM apps a WHERE a.app_id = ?",
                rs -> new WriterCache.AppRules(rs.getInt(1) == 1, rs.getInt(2) == 1), appId)
                .orElse(new WriterCache.AppRules(false, false));
    }

    private void forgetRules(long appId) {
        if (cache != null) {
            cache.appRules.remove(appId);
        }
    }

    @Override
    public boolean setFriendsOnly(long appId, boolean friendsOnly) {
        forgetRules(appId);
        return jdbc.update("UPDATE apps SET friends_only = ? WHERE app_id = ?", friendsOnly ? 1 : 0, appId) > 0;
    }

    @Override
    public boolean areFriends(long appId, long userId, long friendId) {
        if (cache == null) {
            return loadFriendship(appId, userId, friendId);
        }
        return cache.friendships.computeIfAbsent(new WriterCache.DirectKey(appId, userId, friendId),
                k -> loadFriendship(appId, userId, friendId));
    }

    private boolean loadFriendship(long appId, long userId, long friendId) {
        return jdbc.scalar("SELECT COUNT(*) FROM friends WHERE app_id = ? AND user_id = ? AND friend_id = ?",
                appId, userId, friendId) > 0;
    }

    @Override
    public List<Friend> friends(long appId, long userId, String keyword) {
        if (keyword == null) {
            return jdbc.list("SELECT " + FRIEND_COLUMNS + FRIENDS_FROM + " WHERE f.app_id = ? AND f.user_id = ?"
                    + " ORDER BY f.friend_id", JdbcSocialRepository::friend, appId, userId);
        }
        var pattern = "%" + keyword.toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_")
                + "%";
        return jdbc.list("SELECT " + FRIEND_COLUMNS + FRIENDS_FROM + " WHERE f.app_id = ? AND f.user_id = ?"
                        + " AND (LOWER(f.remark) LIKE ? ESCAPE '!' OR LOWER(COALESCE(u.nickname, '')) LIKE ? ESCAPE '!'"
                        + " OR LOWER(COALESCE(u.account, '')) LIKE ? ESCAPE '!') ORDER BY f.friend_id",
                JdbcSocialRepository::friend, appId, userId, pattern, pattern, pattern);
    }

    @Override
    public Optional<Friend> friend(long appId, long userId, long friendId) {
        return jdbc.one("SELECT " + FRIEND_COLUMNS + FRIENDS_FROM + " WHERE f.app_id = ? AND f.user_id = ?"
                + " AND f.friend_id = ?", JdbcSocialRepository::friend, appId, userId, friendId);
    }

    @Override
    public void befriend(long appId, long userId, String userRemark, long friendId, String friendRemark, int way,
                         long nowMs) {
        addDirection(appId, userId, friendId, userRemark, way, nowMs);
        addDirection(appId, friendId, userId, friendRemark, way, nowMs);
    }

    private void addDirection(long appId, long userId, long friendId, String remark, int way, long nowMs) {
        forgetFriendship(appId, userId, friendId);
        if (!loadFriendship(appId, userId, friendId)) {
            jdbc.update("INSERT INTO friends (app_id, user_id, friend_id, remark, way, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)", appId, userId, friendId, remark, way, nowMs, nowMs);
        }
    }

    private void forgetFriendship(long appId, long userId, long friendId) {
        if (cache != null) {
            cache.friendships.remove(new WriterCache.DirectKey(appId, userId, friendId));
        }
    }

    @Override
    public boolean setRemark(long appId, long userId, long friendId, String remark, long nowMs) {
        return jdbc.update("UPDATE friends SET remark = ?, updated_at = ? WHERE app_id = ? AND user_id = ?"
                + " AND friend_id = ?", remark, nowMs, appId, userId, friendId) > 0;
    }

    @Override
    public boolean unfriend(long appId, long userId, long friendId) {
        forgetFriendship(appId, userId, friendId);
        forgetFriendship(appId, friendId, userId);
        int removed = jdbc.update("DELETE FROM friends WHERE app_id = ? AND user_id = ? AND friend_id = ?",
                appId, userId, friendId);
        removed += jdbc.update("DELETE FROM friends WHERE app_id = ? AND user_id = ? AND friend_id = ?",
                appId, friendId, userId);
        return removed > 0;
    }

    @Override
    public boolean blocks(long appId, long userId, long blockedId) {
        if (cache == null) {
            return blocked(appId, userId).contains(blockedId);
        }
        if (!rules(appId).anyBlocks()) {
            return false;
        }
        return cache.blocks.computeIfAbsent(new WriterCache.UserKey(appId, userId),
                k -> java.util.Set.copyOf(blocked(appId, userId))).contains(blockedId);
    }

    private void forgetBlocks(long appId, long userId) {
        forgetRules(appId);
        if (cache != null) {
            cache.blocks.remove(new WriterCache.UserKey(appId, userId));
        }
    }

    @Override
    public boolean block(long appId, long userId, long blockedId, long nowMs) {
        forgetBlocks(appId, userId);
        if (jdbc.scalar("SELECT COUNT(*) FROM blocks WHERE app_id = ? AND user_id = ? AND blocked_id = ?",
                appId, userId, blockedId) > 0) {
            return false;
        }
        jdbc.update("INSERT INTO blocks (app_id, user_id, blocked_id, created_at) VALUES (?, ?, ?, ?)",
                appId, userId, blockedId, nowMs);
        return true;
    }

    @Override
    public boolean unblock(long appId, long userId, long blockedId) {
        forgetBlocks(appId, userId);
        return jdbc.update("DELETE FROM blocks WHERE app_id = ? AND user_id = ? AND blocked_id = ?",
                appId, userId, blockedId) > 0;
    }

    @Override
    public List<Long> blocked(long appId, long userId) {
        return jdbc.list("SELECT blocked_id FROM blocks WHERE app_id = ? AND user_id = ? ORDER BY blocked_id",
                rs -> rs.getLong(1), appId, userId);
    }

    @Override
    public Examine putExamine(long appId, long requesterId, int type, long targetId, String remark, int way,
                              String examinetext, long nowMs) {
        var pending = pendingExamine(appId, requesterId, type, targetId);
        long id;
        if (pending.isPresent()) {
            id = pending.get().id();
            jdbc.update("UPDATE examines SET remark = ?, way = ?, examinetext = ?, is_read = 0, updated_at = ?"
                    + " WHERE id = ?", remark, way, examinetext, nowMs, id);
        } else {
            id = jdbc.insert("id", "INSERT INTO examines (app_id, requester_id, type, target_id, remark, way,"
                            + " examinetext, examine, is_read, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?)",
                    appId, requesterId, type, targetId, remark, way, examinetext, nowMs, nowMs);
        }
        return jdbc.one("SELECT " + EXAMINE_COLUMNS + EXAMINES_FROM + " WHERE e.id = ?", JdbcSocialRepository::examine,
                id).orElseThrow();
    }

    @Override
    public Optional<Examine> pendingExamine(long appId, long requesterId, int type, long targetId) {
        return jdbc.one("SELECT " + EXAMINE_COLUMNS + EXAMINES_FROM + " WHERE e.app_id = ? AND e.requester_id = ?"
                        + " AND e.type = ? AND e.target_id = ? AND e.examine = 0 ORDER BY e.id DESC",
                JdbcSocialRepository::examine, appId, requesterId, type, targetId);
    }

    @Override
    public void decideExamine(long examineId, int examine, long nowMs) {
        jdbc.update("UPDATE examines SET examine = ?, is_read = 1, updated_at = ? WHERE id = ?", examine, nowMs,
                examineId);
    }

    @Override
    public List<Examine> examinesFor(long appId, long userId, int limit, int offset) {
        return jdbc.list("SELECT " + EXAMINE_COLUMNS + EXAMINES_FROM + " WHERE" + ADDRESSED_TO
                        + " ORDER BY e.id DESC LIMIT ? OFFSET ?",
                JdbcSocialRepository::examine, appId, userId, appId, userId, limit, offset);
    }

    @Override
    public void markExaminesRead(long appId, long userId) {
        // two statements: MariaDB refuses a subquery on the table an UPDATE changes
        jdbc.update("UPDATE examines SET is_read = 1 WHERE app_id = ? AND type = 1 AND target_id = ? AND is_read = 0",
                appId, userId);
        jdbc.update("UPDATE examines SET is_read = 1 WHERE app_id = ? AND type = 2 AND is_read = 0 AND target_id IN"
                + " (SELECT m.group_id FROM group_members m WHERE m.app_id = ? AND m.user_id = ? AND m.role > 1)",
                appId, appId, userId);
    }

    @Override
    public long unreadExamines(long appId, long userId) {
        return jdbc.scalar("SELECT COUNT(*) FROM examines e WHERE e.is_read = 0 AND" + ADDRESSED_TO,
                appId, userId, appId, userId);
    }
}

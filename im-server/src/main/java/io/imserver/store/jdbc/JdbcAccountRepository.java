package io.imserver.store.jdbc;

import io.imserver.store.AccountRepository;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * @implNote Deletions and ownership changes empty the writer's cache: they are rare, and the cache holds
 * memberships, seats and heads that they make stale.
 */
final class JdbcAccountRepository implements AccountRepository {
    private final Jdbc jdbc;
    private final LongSupplier version;
    private final WriterCache cache;

    /** @param cache the writer's cache, or null for a reader */
    JdbcAccountRepository(Jdbc jdbc, LongSupplier version, WriterCache cache) {
        this.jdbc = jdbc;
        this.version = version;
        this.cache = cache;
    }

    @Override
    public Optional<SignInState> signInState(long appId, long userId) {
        return jdbc.one("SELECT a.disabled_at, COALESCE(u.tokens_revoked_at, 0),"
                        + " CASE WHEN u.user_id IS NULL THEN 0 ELSE 1 END FROM apps a"
                        + " LEFT JOIN users u ON u.app_id = a.app_id AND u.user_id = ? WHERE a.app_id = ?",
                rs -> new SignInState(rs.getLong(1), rs.getLong(2), rs.getInt(3) == 1), userId, appId);
    }

    @Override
    public boolean revokeTokens(long appId, long userId, long atMs) {
        return jdbc.update("UPDATE users SET tokens_revoked_at = ? WHERE app_id = ? AND user_id = ?",
                atMs, appId, userId) > 0;
    }

    @Override
    public boolean setAppDisabled(long appId, long atMs) {
        return jdbc.update("UPDATE apps SET disabled_at = ? WHERE app_id = ?", atMs, appId) > 0;
    }

    @Override
    public void peerProfileChanged(long appId, long userId) {
        jdbc.update("UPDATE conversations SET version = ? WHERE peer_type = 1 AND peer_id = ? AND app_id = ?",
                version.getAsLong(), userId, appId);
    }

    @Override
    public void deleteUser(long appId, long userId) {
        jdbc.update("DELETE FROM messages WHERE stream_type = 1 AND stream_id IN"
                + " (SELECT id FROM conversations WHERE app_id = ? AND owner_id = ? AND peer_type = 1)", appId, userId);
        jdbc.update("DELETE FROM conversations WHERE app_id = ? AND owner_id = ?", appId, userId);
        jdbc.update("DELETE FROM group_members WHERE app_id = ? AND user_id = ?", appId, userId);
        jdbc.update("DELETE FROM sent_messages WHERE app_id = ? AND sender_id = ?", appId, userId);
        jdbc.update("DELETE FROM mentions WHERE app_id = ? AND user_id = ?", appId, userId);
        jdbc.update("DELETE FROM hidden_messages WHERE app_id = ? AND user_id = ?", appId, userId);
        // the social graph (V5): friendships both ways, blocks either way, requests from or to the user
        jdbc.update("DELETE FROM friends WHERE app_id = ? AND (user_id = ? OR friend_id = ?)", appId, userId, userId);
        jdbc.update("DELETE FROM blocks WHERE app_id = ? AND (user_id = ? OR blocked_id = ?)", appId, userId, userId);
        jdbc.update("DELETE FROM examines WHERE app_id = ? AND (requester_id = ? OR (type = 1 AND target_id = ?))",
                appId, userId, userId);
        jdbc.update("DELETE FROM users WHERE app_id = ? AND user_id = ?", appId, userId);
        clearCache();
    }

    @Override
    public void updateGroup(long groupId, String name, String introduction, String avatar, long nowMs) {
        // a new group version: members' incremental conversation lists pick up the new name
        jdbc.update("UPDATE im_groups SET name = ?, introduction = ?, avatar = ?, updated_at = ?, version = ?"
                + " WHERE group_id = ?", name, introduction, avatar, nowMs, version.getAsLong(), groupId);
    }

    @Override
    public void deleteGroup(long groupId) {
        jdbc.update("DELETE FROM messages WHERE stream_type = 2 AND stream_id = ?", groupId);
        jdbc.update("DELETE FROM mentions WHERE group_id = ?", groupId);
        jdbc.update("DELETE FROM conversations WHERE peer_type = 2 AND peer_id = ?", groupId);
        jdbc.update("DELETE FROM group_members WHERE group_id = ?", groupId);
        jdbc.update("DELETE FROM im_groups WHERE group_id = ?", groupId);
        clearCache();
    }

    @Override
    public void setGroupOwner(long groupId, long ownerId, long nowMs) {
        jdbc.update("UPDATE im_groups SET owner_id = ?, updated_at = ? WHERE group_id = ?", ownerId, nowMs, groupId);
        clearCache();
    }

    private void clearCache() {
        if (cache != null) {
            cache.clear();
        }
    }
}

package io.imserver.store.jdbc;

import io.imserver.store.Group;
import io.imserver.store.GroupMember;
import io.imserver.store.GroupRepository;
import io.imserver.store.GroupRole;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class JdbcGroupRepository implements GroupRepository {
    private static final String GROUP_COLUMNS = "g.group_id, g.app_id, g.name, g.introduction, g.avatar, g.owner_id,"
            + " g.type, g.extra, g.created_at, g.updated_at, g.last_seq, g.last_message_id, g.last_sender_id,"
            + " g.last_sender_name, g.last_preview, g.last_time, g.ban, g.announcement";
    private static final String MEMBER_COLUMNS = "group_id, user_id, app_id, role, label, joined_at, muted_until";

    private final Jdbc jdbc;
    private final java.util.function.LongSupplier version;
    private final WriterCache cache;

    /** Appended to the SELECT that reads a group's head: locks it until the writer's transaction ends, or empty. */
    private final String lockingRead;

    /**
     * @param cache the writer's cache, or null for a reader
     * @param lockingRead {@code " FOR UPDATE"} when other nodes write the same database, else empty
     */
    JdbcGroupRepository(Jdbc jdbc, java.util.function.LongSupplier version, WriterCache cache, String lockingRead) {
        this.lockingRead = lockingRead;
        this.jdbc = jdbc;
        this.version = version;
        this.cache = cache;
    }

    static Group group(ResultSet rs) throws SQLException {
        return new Group(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getLong(6), rs.getInt(7), rs.getString(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
                rs.getLong(12), rs.getLong(13), rs.getString(14), rs.getString(15), rs.getLong(16), rs.getInt(17) == 1,
                rs.getString(18));
    }

    private static GroupMember member(ResultSet rs) throws SQLException {
        return new GroupMember(rs.getLong(1), rs.getLong(2), rs.getLong(3), GroupRole.of(rs.getInt(4)),
                rs.getString(5), rs.getLong(6), rs.getLong(7));
    }

    @Override
    public Group create(long appId, String name, String introduction, String avatar, long ownerId, long nowMs) {
        long id = jdbc.insert("group_id", "INSERT INTO im_groups (app_id, name, introduction, avatar, owner_id, created_at,"
                + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", appId, name, introduction, avatar, ownerId, nowMs, nowMs);
        return find(appId, id).orElseThrow();
    }

    @Override
    public Optional<Group> find(long appId, long groupId) {
        return jdbc.one("SELECT " + GROUP_COLUMNS + " FROM im_groups g WHERE g.group_id = ? AND g.app_id = ?"
                        + lockingRead,
                JdbcGroupRepository::group, groupId, appId);
    }

    /** Locks the groups of {@code sorted} in that order (padded as {@link Jdbc#padded} does). */
    void lockGroups(List<io.imserver.store.HeadKey> sorted) {
        if (sorted.isEmpty() || lockingRead.isEmpty()) {
            return;
        }
        var rows = Jdbc.padded(sorted, k -> new Object[] {k.peerId()});
        jdbc.list("SELECT group_id FROM im_groups WHERE group_id IN (" + rows.placeholders() + ") ORDER BY group_id"
                + lockingRead, rs -> rs.getLong(1), rows.params());
    }

    @Override
    public List<GroupMember> members(long groupId) {
        return jdbc.list("SELECT " + MEMBER_COLUMNS + " FROM group_members WHERE group_id = ? ORDER BY user_id",
                JdbcGroupRepository::member, groupId);
    }

    @Override
    public Optional<GroupMember> member(long groupId, long userId) {
        if (cache == null) {
            return loadMember(groupId, userId);
        }
        return cache.members.computeIfAbsent(new WriterCache.DirectKey(0, groupId, userId),
                k -> loadMember(groupId, userId));
    }

    private Optional<GroupMember> loadMember(long groupId, long userId) {
        return jdbc.one("SELECT " + MEMBER_COLUMNS + " FROM group_members WHERE group_id = ? AND user_id = ?",
                JdbcGroupRepository::member, groupId, userId);
    }

    @Override
    public void putMember(GroupMember m) {
        forget(m.groupId(), m.userId());
        if (jdbc.update("UPDATE group_members SET role = ?, label = ?, muted_until = ? WHERE group_id = ? AND user_id = ?",
                m.role().code(), m.label(), m.mutedUntil(), m.groupId(), m.userId()) == 0) {
            jdbc.update("INSERT INTO group_members (" + MEMBER_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                    m.groupId(), m.userId(), m.appId(), m.role().code(), m.label(), m.joinedAt(), m.mutedUntil());
        }
    }

    @Override
    public boolean removeMember(long groupId, long userId) {
        forget(groupId, userId);
        return jdbc.update("DELETE FROM group_members WHERE group_id = ? AND user_id = ?", groupId, userId) > 0;
    }

    private void forget(long groupId, long userId) {
        if (cache != null) {
            cache.members.remove(new WriterCache.DirectKey(0, groupId, userId));
        }
    }

    @Override
    public void advanceHead(long groupId, long seq, long messageId, long senderId, String senderName, String preview,
                            long timeMs) {
        // the head must be at seq - 1: checked when the batch runs (exactly one row)
        jdbc.deferMerging("im_groups", groupId, JdbcGroupRepository::laterHead,
                "UPDATE im_groups SET last_seq = ?, last_message_id = ?, last_sender_id = ?,"
                        + " last_sender_name = ?, last_preview = ?, last_time = ?, version = ?"
                        + " WHERE group_id = ? AND last_seq = ?",
                seq, messageId, senderId, senderName, preview, timeMs, version.getAsLong(), groupId, seq - 1);
    }

    /** Two moves of one group head in a batch as one: the later's values and the earlier's expected starting seq. */
    private static Object[] laterHead(Object[] earlier, Object[] later) {
        if ((long) later[8] != (long) earlier[0]) {
            throw new IllegalStateException("group " + later[7] + " head moves from seq " + later[8]
                    + " after a move to seq " + earlier[0]);
        }
        var merged = later.clone();
        merged[8] = earlier[8];
        return merged;
    }

    @Override
    public List<Group> byMember(long appId, long userId, Boolean managedOnly) {
        String roleFilter = managedOnly == null ? "" : managedOnly ? " AND m.role > 1" : " AND m.role = 1";
        return jdbc.list("SELECT " + GROUP_COLUMNS + " FROM im_groups g JOIN group_members m ON m.group_id = g.group_id"
                        + " WHERE m.app_id = ? AND m.user_id = ?" + roleFilter + " ORDER BY g.group_id",
                JdbcGroupRepository::group, appId, userId);
    }

    @Override
    public void messageChanged(long groupId, long messageId, String preview) {
        jdbc.update("UPDATE im_groups SET last_preview = CASE WHEN last_message_id = ? THEN ? ELSE last_preview END,"
                + " version = ? WHERE group_id = ?", messageId, preview, version.getAsLong(), groupId);
    }

    @Override
    public ReadTally readTally(long groupId, long seq, long senderId) {
        return jdbc.one("SELECT COALESCE(SUM(CASE WHEN read_seq >= ? THEN 1 ELSE 0 END), 0), COUNT(*)"
                        + " FROM conversations WHERE peer_type = 2 AND peer_id = ? AND active = 1 AND owner_id <> ?"
                        + " AND joined_seq < ?",
                rs -> new ReadTally(rs.getLong(1), rs.getLong(2)), seq, groupId, senderId, seq).orElseThrow();
    }

    @Override
    public List<GroupMember> membersPage(long groupId, GroupRole role, int limit, int offset) {
        String roleFilter = role == null ? "" : " AND role = " + role.code();
        return jdbc.list("SELECT " + MEMBER_COLUMNS + " FROM group_members WHERE group_id = ?" + roleFilter
                + " ORDER BY role DESC, user_id LIMIT ? OFFSET ?", JdbcGroupRepository::member, groupId, limit, offset);
    }

    @Override
    public void setMuteAll(long groupId, boolean on, long nowMs) {
        // a new group version: members' incremental conversation lists see the change
        jdbc.update("UPDATE im_groups SET ban = ?, updated_at = ?, version = ? WHERE group_id = ?", on ? 1 : 0, nowMs,
                version.getAsLong(), groupId);
    }

    @Override
    public void setAnnouncement(long groupId, String announcement, long nowMs) {
        jdbc.update("UPDATE im_groups SET announcement = ?, updated_at = ?, version = ? WHERE group_id = ?",
                announcement, nowMs, version.getAsLong(), groupId);
    }

    @Override
    public int memberCount(long groupId) {
        return (int) jdbc.scalar("SELECT COUNT(*) FROM group_members WHERE group_id = ?", groupId);
    }
}

package io.imserver.store.jdbc;

import io.imserver.store.Conversation;
import io.imserver.store.ConversationRepository;
import io.imserver.store.ConversationView;
import io.imserver.store.Group;
import io.imserver.store.GroupSeat;
import io.imserver.store.PeerType;
import io.imserver.store.StreamHead;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

final class JdbcConversationRepository implements ConversationRepository {
    private static final String COLUMNS = "c.id, c.app_id, c.owner_id, c.peer_type, c.peer_id, c.top, c.disturb,"
            + " c.remark, c.active, c.joined_seq, c.last_seq, c.read_seq, c.last_message_id, c.last_sender_id,"
            + " c.last_sender_name, c.last_preview, c.update_time, c.created_at, c.version, c.peer_read_seq";

    /** True when the owner is an active group member: the group's head is then authoritative. */
    private static final String LIVE_GROUP = "(c.peer_type = 2 AND c.active = 1)";
    /** ... and the group's newest message is visible to the owner. */
    private static final String LIVE_GROUP_HEAD = "(c.peer_type = 2 AND c.active = 1 AND g.last_seq > c.joined_seq)";
    private static final String EFFECTIVE_LAST_SEQ =
            "CASE WHEN " + LIVE_GROUP + " THEN g.last_seq ELSE c.last_seq END";
    private static final String EFFECTIVE_VERSION =
            "CASE WHEN " + LIVE_GROUP + " AND g.version > c.version THEN g.version ELSE c.version END";

    /** Columns 21-30: the stream's head as the owner sees it, the peer's name and avatar, mentions, version. */
    private static final String VIEW_COLUMNS = COLUMNS
            + ", " + EFFECTIVE_LAST_SEQ
            + ", CASE WHEN " + LIVE_GROUP_HEAD + " THEN g.last_sender_id ELSE c.last_sender_id END"
            + ", CASE WHEN " + LIVE_GROUP_HEAD + " THEN g.last_sender_name ELSE c.last_sender_name END"
            + ", CASE WHEN " + LIVE_GROUP_HEAD + " THEN g.last_preview ELSE c.last_preview END"
            + ", CASE WHEN " + LIVE_GROUP_HEAD + " AND g.last_time > c.update_time THEN g.last_time"
            + " ELSE c.update_time END AS activity"
            + ", CASE WHEN c.peer_type = 1 THEN u.nickname ELSE g.name END"
            + ", CASE WHEN c.peer_type = 1 THEN u.avatar_url ELSE g.avatar END"
            + ", CASE WHEN c.peer_type = 2 THEN (SELECT COUNT(*) FROM mentions mn WHERE mn.app_id = c.app_id"
            + " AND mn.user_id = c.owner_id AND mn.group_id = c.peer_id AND mn.seq > c.read_seq"
            + " AND mn.seq <= " + EFFECTIVE_LAST_SEQ + ") ELSE 0 END"
            + ", " + EFFECTIVE_VERSION + " AS effective_version";

    private static final String VIEW_FROM = " FROM conversations c"
            + " LEFT JOIN users u ON c.peer_type = 1 AND u.app_id = c.app_id AND u.user_id = c.peer_id"
            + " LEFT JOIN im_groups g ON c.peer_type = 2 AND g.group_id = c.peer_id";

    private final Jdbc jdbc;
    private final LongSupplier version;
    private final WriterCache cache;

    /** Appended to the SELECTs that read a head: locks it until the writer's transaction ends, or empty. */
    private final String lockingRead;

    /**
     * @param cache the writer's cache, or null for a reader
     * @param lockingRead {@code " FOR UPDATE"} when other nodes write the same database, else empty
     */
    JdbcConversationRepository(Jdbc jdbc, LongSupplier version, WriterCache cache, String lockingRead) {
        this.jdbc = jdbc;
        this.lockingRead = lockingRead;
        this.version = version;
        this.cache = cache;
    }

    @Override
    public StreamHead directHead(long appId, long ownerId, long peerId, long nowMs) {
        var key = new WriterCache.DirectKey(appId, ownerId, peerId);
        var cached = cache == null ? null : cache.directHeads.get(key);
        if (cached != null) {
            return cached;
        }
        var conv = getOrCreate(appId, ownerId, PeerType.USER, peerId, 0, nowMs);
        var head = new StreamHead(conv.id(), conv.lastSeq());
        if (cache != null) {
            cache.directHeads.put(key, head);
            cache.directKeys.put(conv.id(), key);
        }
        return head;
    }

    private static Conversation map(ResultSet rs) throws SQLException {
        return new Conversation(rs.getLong(1), rs.getLong(2), rs.getLong(3), PeerType.of(rs.getInt(4)),
                rs.getLong(5), rs.getInt(6), rs.getInt(7), rs.getString(8), rs.getInt(9) == 1, rs.getLong(10),
                rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getString(15),
                rs.getString(16), rs.getLong(17), rs.getLong(18), rs.getLong(19), rs.getLong(20));
    }

    private static ConversationView view(ResultSet rs) throws SQLException {
        return new ConversationView(map(rs), rs.getLong(21), rs.getLong(22), nonNull(rs.getString(23)),
                nonNull(rs.getString(24)), rs.getLong(25), nonNull(rs.getString(26)), nonNull(rs.getString(27)),
                rs.getLong(28), rs.getLong(29));
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    @Override
    public Conversation getOrCreate(long appId, long ownerId, PeerType peerType, long peerId, long joinedSeq,
                                    long nowMs) {
        var existing = find(appId, ownerId, peerType, peerId);
        if (existing.isPresent()) {
            return existing.get();
        }
        if (cache != null && peerType == PeerType.GROUP) {
            cache.groupSeats.remove(peerId);
        }
        long id = jdbc.insert("id", "INSERT INTO conversations (app_id, owner_id, peer_type, peer_id, joined_seq, last_seq,"
                        + " read_seq, update_time, created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                appId, ownerId, peerType.code(), peerId, joinedSeq, joinedSeq, joinedSeq, nowMs, nowMs,
                version.getAsLong());
        return find(id).orElseThrow();
    }

    /**
     * Locks the existing 1:1 conversations of {@code sorted} in that order (a head not created yet locks nothing)
     * and caches their heads for the batch, so that its messages read none of them again.
     * The list is padded as {@link Jdbc#padded} does.
     */
    void lockDirectHeads(List<io.imserver.store.HeadKey> sorted) {
        if (sorted.isEmpty() || lockingRead.isEmpty()) {
            return;
        }
        var rows = Jdbc.padded(sorted, k -> new Object[] {k.appId(), k.ownerId(), k.peerType(), k.peerId()});
        var locked = jdbc.list("SELECT " + COLUMNS + " FROM conversations c WHERE (c.app_id, c.owner_id, c.peer_type,"
                + " c.peer_id) IN (" + rows.placeholders() + ") ORDER BY c.app_id, c.owner_id, c.peer_type, c.peer_id"
                + lockingRead, JdbcConversationRepository::map, rows.params());
        if (cache != null) {
            // locked until the batch commits: the heads read here stay true for the whole batch
            for (var conv : locked) {
                var key = new WriterCache.DirectKey(conv.appId(), conv.ownerId(), conv.peerId());
                cache.directHeads.put(key, new StreamHead(conv.id(), conv.lastSeq()));
                cache.directKeys.put(conv.id(), key);
            }
        }
    }

    @Override
    public Optional<Conversation> find(long conversationId) {
        return jdbc.one("SELECT " + COLUMNS + " FROM conversations c WHERE c.id = ?" + lockingRead,
                JdbcConversationRepository::map, conversationId);
    }

    @Override
    public Optional<Conversation> find(long appId, long ownerId, PeerType peerType, long peerId) {
        return jdbc.one("SELECT " + COLUMNS + " FROM conversations c WHERE c.app_id = ? AND c.owner_id = ?"
                        + " AND c.peer_type = ? AND c.peer_id = ?" + lockingRead,
                JdbcConversationRepository::map, appId, ownerId, peerType.code(), peerId);
    }

    @Override
    public void advanceHead(long conversationId, long seq, long messageId, long senderId, String senderName,
                            String preview, long timeMs, boolean markRead) {
        String sql = "UPDATE conversations SET last_seq = ?, last_message_id = ?, last_sender_id = ?,"
                + " last_sender_name = ?, last_preview = ?, update_time = ?, version = ?"
                + ", read_seq = CASE WHEN ? THEN ? ELSE read_seq END"
                + " WHERE id = ? AND last_seq = ?";
        // the head must be at seq - 1: checked when the batch runs (exactly one row)
        jdbc.deferMerging("conversations", conversationId, JdbcConversationRepository::laterHead, sql, seq, messageId,
                senderId, senderName, preview, timeMs, version.getAsLong(), markRead, seq, conversationId, seq - 1);
        if (cache != null) {
            var key = cache.directKeys.get(conversationId);
            if (key != null) {
                cache.directHeads.put(key, new StreamHead(conversationId, seq));
            }
        }
    }

    /**
     * Two moves of one head in a batch as one: the later's values, read up to the later seq marked read, and the
     * earlier's expected starting seq. Parameters as in {@link #advanceHead}'s UPDATE.
     */
    private static Object[] laterHead(Object[] earlier, Object[] later) {
        if ((long) later[10] != (long) earlier[0]) {
            throw new IllegalStateException("conversation " + later[9] + " head moves from seq " + later[10]
                    + " after a move to seq " + earlier[0]);
        }
        var merged = later.clone();
        if (!(boolean) later[7]) {
            merged[7] = earlier[7];
            merged[8] = earlier[8];
        }
        merged[10] = earlier[10];
        return merged;
    }

    @Override
    public boolean advanceRead(long conversationId, long seq) {
        return jdbc.update("UPDATE conversations SET read_seq = ?, version = ? WHERE id = ? AND read_seq < ?",
                seq, version.getAsLong(), conversationId, seq) > 0;
    }

    @Override
    public boolean advancePeerRead(long conversationId, long seq) {
        return jdbc.update("UPDATE conversations SET peer_read_seq = ?, version = ? WHERE id = ? AND peer_read_seq < ?",
                seq, version.getAsLong(), conversationId, seq) > 0;
    }

    @Override
    public void messageChanged(long conversationId, long messageId, String preview) {
        jdbc.update("UPDATE conversations SET last_preview = CASE WHEN last_message_id = ? THEN ? ELSE last_preview END,"
                + " version = ? WHERE id = ?", messageId, preview, version.getAsLong(), conversationId);
    }

    @Override
    public void addMention(long appId, long userId, long groupId, long seq) {
        jdbc.update("INSERT INTO mentions (app_id, user_id, group_id, seq) VALUES (?, ?, ?, ?)",
                appId, userId, groupId, seq);
    }

    @Override
    public void setTop(long conversationId, int top) {
        jdbc.update("UPDATE conversations SET top = ?, version = ? WHERE id = ?", top, version.getAsLong(),
                conversationId);
    }

    @Override
    public void setDisturb(long conversationId, int disturb) {
        jdbc.update("UPDATE conversations SET disturb = ?, version = ? WHERE id = ?", disturb, version.getAsLong(),
                conversationId);
    }

    @Override
    public void activate(long conversationId, long joinedSeq, long nowMs) {
        if (cache != null) {
            cache.groupSeats.clear();
        }
        jdbc.update("UPDATE conversations SET active = 1, joined_seq = ?, last_seq = ?, read_seq = ?, update_time = ?,"
                + " version = ? WHERE id = ?", joinedSeq, joinedSeq, joinedSeq, nowMs, version.getAsLong(), conversationId);
    }

    @Override
    public void deactivate(long conversationId, Group head, long nowMs) {
        if (cache != null) {
            cache.groupSeats.clear();
        }
        jdbc.update("UPDATE conversations SET active = 0, last_seq = ?, version = ?,"
                        + " last_message_id = CASE WHEN ? > joined_seq THEN ? ELSE last_message_id END,"
                        + " last_sender_id = CASE WHEN ? > joined_seq THEN ? ELSE last_sender_id END,"
                        + " last_sender_name = CASE WHEN ? > joined_seq THEN ? ELSE last_sender_name END,"
                        + " last_preview = CASE WHEN ? > joined_seq THEN ? ELSE last_preview END,"
                        + " update_time = CASE WHEN ? > joined_seq AND ? > update_time THEN ? ELSE update_time END"
                        + " WHERE id = ?",
                head.lastSeq(), version.getAsLong(), head.lastSeq(), head.lastMessageId(), head.lastSeq(),
                head.lastSenderId(), head.lastSeq(), head.lastSenderName(), head.lastSeq(), head.lastPreview(),
                head.lastSeq(), head.lastTime(), head.lastTime(), conversationId);
    }

    @Override
    public Map<Long, GroupSeat> activeGroupConversations(long appId, long groupId) {
        var cached = cache == null ? null : cache.groupSeats.get(groupId);
        if (cached != null) {
            return cached;
        }
        var out = new HashMap<Long, GroupSeat>();
        jdbc.list("SELECT owner_id, id, joined_seq FROM conversations WHERE peer_type = 2 AND peer_id = ?"
                        + " AND active = 1 AND app_id = ?",
                rs -> out.put(rs.getLong(1), new GroupSeat(rs.getLong(2), rs.getLong(3))), groupId, appId);
        var seats = Map.copyOf(out);
        if (cache != null) {
            cache.groupSeats.put(groupId, seats);
        }
        return seats;
    }

    @Override
    public List<ConversationView> list(long appId, long ownerId, int limit, int offset) {
        return jdbc.list("SELECT " + VIEW_COLUMNS + VIEW_FROM + " WHERE c.app_id = ? AND c.owner_id = ?"
                        + " ORDER BY c.top DESC, activity DESC, c.id DESC LIMIT ? OFFSET ?",
                JdbcConversationRepository::view, appId, ownerId, limit, offset);
    }

    @Override
    public List<ConversationView> changedSince(long appId, long ownerId, long sinceVersion, int limit) {
        return jdbc.list("SELECT " + VIEW_COLUMNS + VIEW_FROM + " WHERE c.app_id = ? AND c.owner_id = ?"
                        + " AND " + EFFECTIVE_VERSION + " > ? ORDER BY effective_version, c.id LIMIT ?",
                JdbcConversationRepository::view, appId, ownerId, sinceVersion, limit);
    }

    @Override
    public Optional<ConversationView> view(long conversationId) {
        return jdbc.one("SELECT " + VIEW_COLUMNS + VIEW_FROM + " WHERE c.id = ?",
                JdbcConversationRepository::view, conversationId);
    }

    @Override
    public long totalUnread(long appId, long ownerId) {
        return jdbc.scalar("SELECT COALESCE(SUM(" + EFFECTIVE_LAST_SEQ + " - c.read_seq), 0)" + VIEW_FROM
                + " WHERE c.app_id = ? AND c.owner_id = ? AND c.disturb <> 2", appId, ownerId);
    }
}

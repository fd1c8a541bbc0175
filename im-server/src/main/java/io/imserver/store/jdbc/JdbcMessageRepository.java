package io.imserver.store.jdbc;

import io.imserver.store.MessageRepository;
import io.imserver.store.SentKey;
import io.imserver.store.SentMessage;
import io.imserver.store.StoredMessage;
import io.imserver.store.StreamType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

final class JdbcMessageRepository implements MessageRepository {
    private static final String COLUMNS = "id, app_id, stream_type, stream_id, seq, sender_type, sender_id,"
            + " sender_device_id, receiver_type, receiver_id, to_user_ids, message_type, body, send_time, status,"
            + " sender_name, sender_avatar, help, preview, client_msg_id, pair_seq";

    private final Jdbc jdbc;
    private final java.util.function.LongSupplier nextId;
    /** The writer's cache (its batch's client message id entries), or null for a reader. */
    private final WriterCache cache;

    /** @param nextId the next message id (the writer's allocator; a reader inserts nothing) */
    JdbcMessageRepository(Jdbc jdbc, java.util.function.LongSupplier nextId, WriterCache cache) {
        this.jdbc = jdbc;
        this.nextId = nextId;
        this.cache = cache;
    }

    private static StoredMessage map(ResultSet rs) throws SQLException {
        return new StoredMessage(rs.getLong(1), rs.getLong(2), StreamType.of(rs.getInt(3)), rs.getLong(4),
                rs.getLong(5), rs.getInt(6), rs.getLong(7), rs.getLong(8), rs.getInt(9), rs.getLong(10),
                parseIds(rs.getString(11)), rs.getInt(12), rs.getBytes(13), rs.getLong(14), rs.getInt(15),
                rs.getString(16), rs.getString(17), rs.getInt(18), rs.getString(19), rs.getString(20),
                rs.getLong(21));
    }

    private static List<Long> parseIds(String csv) {
        if (csv == null || csv.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(Long::valueOf).toList();
    }

    @Override
    public StoredMessage insert(StoredMessage m) {
        long id = nextId.getAsLong();
        jdbc.defer("messages", true, "INSERT INTO messages (id, app_id, stream_type, stream_id, seq, sender_type, sender_id,"
                        + " sender_device_id, receiver_type, receiver_id, to_user_ids, message_type, body, send_time,"
                        + " status, sender_name, sender_avatar, help, preview, client_msg_id, pair_seq)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, m.appId(), m.streamType().code(), m.streamId(), m.seq(), m.senderType(), m.senderId(),
                m.senderDeviceId(), m.receiverType(), m.receiverId(),
                joined(m.toUserIds()), m.messageType(),
                m.body(), m.sendTime(), m.status(), m.senderName(), m.senderAvatar(), m.help(), m.preview(),
                m.clientMsgId(), m.pairSeq());
        return m.withId(id);
    }

    @Override
    public Optional<StoredMessage> find(long messageId) {
        return jdbc.one("SELECT " + COLUMNS + " FROM messages WHERE id = ?", JdbcMessageRepository::map, messageId);
    }

    @Override
    public List<StoredMessage> newestFirst(StreamType type, long streamId, long afterSeq, long upToSeq, int limit,
                                           int offset) {
        return jdbc.list("SELECT " + COLUMNS + " FROM messages WHERE stream_type = ? AND stream_id = ?"
                        + " AND seq > ? AND seq <= ? ORDER BY seq DESC LIMIT ? OFFSET ?",
                JdbcMessageRepository::map, type.code(), streamId, afterSeq, upToSeq, limit, offset);
    }

    @Override
    public List<StoredMessage> oldestFirst(StreamType type, long streamId, long afterSeq, long upToSeq, int limit) {
        return jdbc.list("SELECT " + COLUMNS + " FROM messages WHERE stream_type = ? AND stream_id = ?"
                        + " AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
                JdbcMessageRepository::map, type.code(), streamId, afterSeq, upToSeq, limit);
    }

    @Override
    public Optional<StoredMessage> findBySeq(StreamType type, long streamId, long seq) {
        return jdbc.one("SELECT " + COLUMNS + " FROM messages WHERE stream_type = ? AND stream_id = ? AND seq = ?",
                JdbcMessageRepository::map, type.code(), streamId, seq);
    }

    @Override
    public Optional<StoredMessage> latestFrom(StreamType type, long streamId, long maxSeq, long senderId) {
        return jdbc.one("SELECT " + COLUMNS + " FROM messages WHERE stream_type = ? AND stream_id = ? AND seq <= ?"
                        + " AND sender_id = ? ORDER BY seq DESC LIMIT 1",
                JdbcMessageRepository::map, type.code(), streamId, maxSeq, senderId);
    }

    @Override
    public void rewrite(long messageId, int status, byte[] body, String preview) {
        jdbc.update("UPDATE messages SET status = ?, body = ?, preview = ? WHERE id = ?", status, body, preview,
                messageId);
    }

    private static final String REMEMBER_SENT = "INSERT INTO sent_messages (app_id, sender_id, client_msg_id,"
            + " message_id, conversation_id, created_at) VALUES (?, ?, ?, ?, ?, ?)";

    /** Keys read by one statement of {@link #readEntries}. */
    static final int ENTRIES_PER_READ = 16;

    /**
     * The entries of {@code keys} as the batch starts, for {@link #sentWithClientId} to answer from (writer only; none:
     * the last batch's are forgotten), {@link #ENTRIES_PER_READ} keys a statement, each padded as {@link Jdbc#padded}
     * does so that the statement shapes stay few.
     *
     * @implNote PostgreSQL plans a row-value {@code IN} list as one index probe per row OR-ed together, and the
     *     planning grows faster than the list: 342 ms for 1,024 rows, 0.16 ms for 16 (then 0.16 ms to run). A join
     *     with a {@code VALUES} list was planned as a hash join over the whole table.
     */
    void readEntries(List<SentKey> keys) {
        cache.sentEntries.clear();
        for (int from = 0; from < keys.size(); from += ENTRIES_PER_READ) {
            var some = keys.subList(from, Math.min(keys.size(), from + ENTRIES_PER_READ));
            some.forEach(k -> cache.sentEntries.put(k, Optional.empty()));
            var rows = Jdbc.padded(some, k -> new Object[] {k.appId(), k.senderId(), k.clientMsgId()});
            jdbc.list("SELECT app_id, sender_id, client_msg_id, message_id, conversation_id, created_at"
                    + " FROM sent_messages WHERE (app_id, sender_id, client_msg_id) IN (" + rows.placeholders() + ")",
                    rs -> cache.sentEntries.put(new SentKey(rs.getLong(1), rs.getLong(2), rs.getString(3)),
                            Optional.of(new SentMessage(rs.getLong(4), rs.getLong(5), rs.getLong(6)))), rows.params());
        }
    }

    /**
     * @implNote Every send with a client message id asks this before it writes. The writer answers from the entries
     *     read at the batch's start ({@link #readEntries}) and those {@link #rememberSent} made since (its INSERT is
     *     deferred); else from a SELECT that runs without sending the batch's deferred rows first (which would send
     *     them a message at a time): they are on other tables, or their entries are known.
     */
    @Override
    public Optional<SentMessage> sentWithClientId(long appId, long senderId, String clientMsgId) {
        var read = cache == null ? null : cache.sentEntries.get(new SentKey(appId, senderId, clientMsgId));
        if (read != null) {
            return read;
        }
        return jdbc.listBesidesDeferred("SELECT message_id, conversation_id, created_at FROM sent_messages"
                        + " WHERE app_id = ? AND sender_id = ? AND client_msg_id = ?",
                rs -> new SentMessage(rs.getLong(1), rs.getLong(2), rs.getLong(3)), appId, senderId, clientMsgId)
                .stream().findFirst();
    }

    /**
     * @implNote The DELETE of a replaced entry names its message: if another node replaced it meanwhile, nothing is
     *     deleted, the INSERT meets that node's entry, and the write runs again under a savepoint and finds it.
     */
    @Override
    public void rememberSent(long appId, long senderId, String clientMsgId, long messageId, long conversationId,
                             long nowMs, SentMessage replacing) {
        if (replacing != null) {
            jdbc.update("DELETE FROM sent_messages WHERE app_id = ? AND sender_id = ? AND client_msg_id = ?"
                    + " AND message_id = ?", appId, senderId, clientMsgId, replacing.messageId());
        }
        jdbc.defer("sent_messages", true, REMEMBER_SENT, appId, senderId, clientMsgId, messageId, conversationId, nowMs);
        cache.sentEntries.put(new SentKey(appId, senderId, clientMsgId),
                Optional.of(new SentMessage(messageId, conversationId, nowMs)));
    }

    @Override
    public int forgetSentBefore(long beforeMs) {
        return jdbc.update("DELETE FROM sent_messages WHERE created_at < ?", beforeMs);
    }

    @Override
    public void hide(long appId, long userId, long messageId) {
        jdbc.update("DELETE FROM hidden_messages WHERE app_id = ? AND user_id = ? AND message_id = ?",
                appId, userId, messageId);
        jdbc.update("INSERT INTO hidden_messages (app_id, user_id, message_id) VALUES (?, ?, ?)",
                appId, userId, messageId);
    }

    @Override
    public java.util.Set<Long> hiddenAmong(long appId, long userId, List<Long> messageIds) {
        if (messageIds.isEmpty()) {
            return java.util.Set.of();
        }
        var placeholders = String.join(",", java.util.Collections.nCopies(messageIds.size(), "?"));
        var params = new Object[messageIds.size() + 2];
        params[0] = appId;
        params[1] = userId;
        for (int i = 0; i < messageIds.size(); i++) {
            params[i + 2] = messageIds.get(i);
        }
        return new java.util.HashSet<>(jdbc.list("SELECT message_id FROM hidden_messages WHERE app_id = ? AND user_id = ?"
                + " AND message_id IN (" + placeholders + ")", rs -> rs.getLong(1), params));
    }

    /** The ids comma-separated; a 1:1 message has none, and then no stream is built for it. */
    private static String joined(java.util.List<Long> ids) {
        return ids.isEmpty() ? "" : ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}

package io.imserver.store.jdbc;

import io.imserver.store.MessageRepository;
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
            + " sender_name, sender_avatar, help, preview";

    private final Jdbc jdbc;

    JdbcMessageRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    private static StoredMessage map(ResultSet rs) throws SQLException {
        return new StoredMessage(rs.getLong(1), rs.getLong(2), StreamType.of(rs.getInt(3)), rs.getLong(4),
                rs.getLong(5), rs.getInt(6), rs.getLong(7), rs.getLong(8), rs.getInt(9), rs.getLong(10),
                parseIds(rs.getString(11)), rs.getInt(12), rs.getBytes(13), rs.getLong(14), rs.getInt(15),
                rs.getString(16), rs.getString(17), rs.getInt(18), rs.getString(19));
    }

    private static List<Long> parseIds(String csv) {
        if (csv == null || csv.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(Long::valueOf).toList();
    }

    @Override
    public StoredMessage insert(StoredMessage m) {
        long id = jdbc.insert("INSERT INTO messages (app_id, stream_type, stream_id, seq, sender_type, sender_id,"
                        + " sender_device_id, receiver_type, receiver_id, to_user_ids, message_type, body, send_time,"
                        + " status, sender_name, sender_avatar, help, preview)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                m.appId(), m.streamType().code(), m.streamId(), m.seq(), m.senderType(), m.senderId(),
                m.senderDeviceId(), m.receiverType(), m.receiverId(),
                m.toUserIds().stream().map(String::valueOf).collect(Collectors.joining(",")), m.messageType(),
                m.body(), m.sendTime(), m.status(), m.senderName(), m.senderAvatar(), m.help(), m.preview());
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
}

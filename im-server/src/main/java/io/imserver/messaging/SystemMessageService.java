package io.imserver.messaging;

import io.imserver.cluster.Presence;
import io.imserver.protocol.CommandTypes;
import io.imserver.protocol.ErrorCode;
import io.imserver.protocol.ImException;
import io.imserver.protocol.MessagePreview;
import io.imserver.store.Group;
import io.imserver.store.PeerType;
import io.imserver.store.SentMessage;
import io.imserver.store.Store;
import io.imserver.store.StoreTx;
import io.imserver.store.StoredMessage;
import io.imserver.store.StreamType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import pb.MessageBody;
import pb.MessageItem;

/**
 * System messages (sender_type 1) from the business API: a record in the receiver's conversation only.
 *
 * <p>To a user R: one record in R's own 1:1 stream with the sending user ({@code fromUserId}), or, with
 * {@code fromUserId} 0, in R's conversation with the system (peer user id 0, no name). Nothing is written to the
 * sender's side, and the record is unread for R. To a group: one record in the group's stream, seen by every active
 * member; the sender need not be a member, and nobody's read position moves. A retry with the same client message
 * id (per sender, receiver type and receiver) within the dedup window stores nothing and returns the first record.
 */
public final class SystemMessageService {
    /** sender_type of a system message. */
    public static final int SENDER_SYSTEM = 1;
    /** Most receivers of one broadcast. */
    public static final int MAX_BROADCAST = 1000;

    private final Store store;
    private final Presence presence;
    private final Clock clock;
    private final Duration dedupWindow;

    public SystemMessageService(Store store, Presence presence, Clock clock, Duration dedupWindow) {
        this.store = store;
        this.presence = presence;
        this.clock = clock;
        this.dedupWindow = dedupWindow;
    }

    /** A system message written in a transaction: its record, and the pushes to make once it is committed. */
    record Stored(MessageItem item, List<Delivery> deliveries) {
    }

    /**
     * Within {@code tx}: a system message from the system itself (sender 0) into the group's stream, seen by every
     * active member from now on; {@link #push} its deliveries after the commit.
     */
    Stored toGroup(StoreTx tx, long appId, long groupId, MessageBody body) {
        var record = new StoredMessage(0, appId, null, 0, 0, SENDER_SYSTEM, 0, 0, PeerType.GROUP.code(), groupId,
                List.of(), body.getMessageTypeValue(), body.toByteArray(), clock.millis(),
                StoredMessage.STATUS_NORMAL, "", "", 0, MessagePreview.of(body), "", 0);
        return toGroup(tx, record, false);
    }

    /** Pushes committed system messages, in order (right after the commit, in commit order). */
    void push(List<Stored> committed) {
        for (var stored : committed) {
            Delivery.pushAll(presence, CommandTypes.PUSH_MESSAGE, stored.deliveries());
        }
    }

    /**
     * Stores a system message and pushes it; completes with the stored record (in the receiver's conversation for a
     * user, in the group's stream with conversation id 0 for a group).
     *
     * @param fromUserId the user it comes from (must exist), or 0 for the system itself
     */
    public CompletableFuture<MessageItem> send(long appId, long fromUserId, int receiverType, long receiverId,
                                               MessageBody body, String clientMsgId) {
        return send(appId, fromUserId, receiverType, receiverId, body, clientMsgId, false);
    }

    /**
     * As {@link #send}, for a caller who is an app user rather than the business backend: a system message into a
     * group needs {@code fromUserId} to be one of its members, else FORBIDDEN and nothing is stored.
     */
    public CompletableFuture<MessageItem> sendAsUser(long appId, long fromUserId, int receiverType, long receiverId,
                                                     MessageBody body, String clientMsgId) {
        return send(appId, fromUserId, receiverType, receiverId, body, clientMsgId, true);
    }

    private CompletableFuture<MessageItem> send(long appId, long fromUserId, int receiverType, long receiverId,
                                                MessageBody body, String clientMsgId, boolean memberOnly) {
        if (receiverType != 1 && receiverType != 2) {
            throw ImException.invalid("receiver_type: " + receiverType + " (expected: 1 user or 2 group)");
        }
        if (receiverId <= 0) {
            throw ImException.invalid("receiver_id: " + receiverId + " (expected: > 0)");
        }
        if (fromUserId < 0) {
            throw ImException.invalid("sender_id: " + fromUserId + " (expected: 0 the system, or a user id)");
        }
        SendMessageService.validateBody(body);
        var clientId = clientMsgId == null ? "" : ImException.requireNoNul("client_msg_id", clientMsgId);
        if (clientId.length() > SendMessageService.MAX_CLIENT_MSG_ID) {
            throw ImException.invalid("client_msg_id: " + clientId.length() + " characters (expected: <= "
                    + SendMessageService.MAX_CLIENT_MSG_ID + ")");
        }
        // a system message's dedup key names its receiver: one client id may go to many receivers (broadcast)
        var dedupKey = clientId.isEmpty() ? "" : clientId + "@" + receiverType + ":" + receiverId;
        return store.write(tx -> {
            var entry = dedupKey.isEmpty() ? Optional.<SentMessage>empty()
                    : tx.messages().sentWithClientId(appId, fromUserId, dedupKey);
            if (entry.isPresent() && entry.get().sentSince(clock.millis() - dedupWindow.toMillis())) {
                var m = tx.messages().find(entry.get().messageId()).orElseThrow();
                return new Stored(MessageItems.of(m, entry.get().conversationId()), List.of());
            }
            if (tx.apps().find(appId).isEmpty()) {
                throw ImException.notFound("app " + appId + " does not exist");
            }
            String senderName = "";
            String senderAvatar = "";
            if (fromUserId != 0) {
                var sender = tx.users().find(appId, fromUserId).orElseThrow(() -> ImException.notFound(
                        "user " + fromUserId + " does not exist in app " + appId));
                senderName = sender.nickname();
                senderAvatar = sender.avatarUrl();
            }
            var record = new StoredMessage(0, appId, null, 0, 0, SENDER_SYSTEM, fromUserId, 0, receiverType,
                    receiverId, List.of(), body.getMessageTypeValue(), body.toByteArray(), clock.millis(),
                    StoredMessage.STATUS_NORMAL, senderName, senderAvatar, 0, MessagePreview.of(body), clientId, 0);
            var stored = receiverType == PeerType.USER.code() ? toUser(tx, record) : toGroup(tx, record, memberOnly);
            if (!dedupKey.isEmpty()) {
                tx.messages().rememberSent(appId, fromUserId, dedupKey, stored.item().getId(),
                        stored.item().getConversationId(), clock.millis(), entry.orElse(null));
            }
            return stored;
        }, stored -> Delivery.pushAll(presence, CommandTypes.PUSH_MESSAGE, stored.deliveries()))
                .thenApply(Stored::item);
    }

    /** The same system message to each user, in the order given; completes with each receiver's record. */
    public CompletableFuture<List<MessageItem>> broadcast(long appId, long fromUserId, List<Long> userIds,
                                                         MessageBody body, String clientMsgId) {
        if (userIds.isEmpty() || userIds.size() > MAX_BROADCAST) {
            throw ImException.invalid("user_ids: " + userIds.size() + " ids (expected: 1-" + MAX_BROADCAST + ")");
        }
        var sends = new ArrayList<CompletableFuture<MessageItem>>();
        for (long userId : userIds) {
            sends.add(send(appId, fromUserId, PeerType.USER.code(), userId, body, clientMsgId));
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                .thenApply(done -> sends.stream().map(CompletableFuture::join).toList());
    }

    private Stored toUser(StoreTx tx, StoredMessage record) {
        long app = record.appId();
        long receiver = record.receiverId();
        if (tx.users().find(app, receiver).isEmpty()) {
            throw ImException.notFound("user " + receiver + " does not exist in app " + app);
        }
        var head = tx.conversations().directHead(app, receiver, record.senderId(), record.sendTime());
        long seq = head.lastSeq() + 1;
        var stored = tx.messages().insert(record.inStream(StreamType.CONVERSATION, head.conversationId(), seq, 0));
        tx.conversations().advanceHead(head.conversationId(), seq, stored.id(), stored.senderId(), stored.senderName(),
                stored.preview(), stored.sendTime(), false);
        var item = MessageItems.of(stored, head.conversationId());
        return new Stored(item, List.of(new Delivery(app, receiver, 0, item)));
    }

    private Stored toGroup(StoreTx tx, StoredMessage record, boolean memberOnly) {
        long app = record.appId();
        long groupId = record.receiverId();
        Group group = GroupService.requireGroup(tx, app, groupId);
        if (memberOnly && tx.groups().member(groupId, record.senderId()).isEmpty()) {
            throw new ImException(ErrorCode.FORBIDDEN, "user " + record.senderId() + " is not a member of group "
                    + groupId);
        }
        long seq = group.lastSeq() + 1;
        var stored = tx.messages().insert(record.inStream(StreamType.GROUP, groupId, seq, 0));
        tx.groups().advanceHead(groupId, seq, stored.id(), stored.senderId(), stored.senderName(), stored.preview(),
                stored.sendTime());
        var deliveries = new ArrayList<Delivery>();
        var base = MessageItems.of(stored, 0).toByteString();
        for (var seat : tx.conversations().activeGroupConversations(app, groupId).entrySet()) {
            long conversationId = seat.getValue().conversationId();
            deliveries.add(new Delivery(app, seat.getKey(), 0, () -> MessageItems.withConversation(base, conversationId)));
        }
        return new Stored(MessageItems.of(stored, 0), deliveries);
    }
}

package io.imserver.messaging;

import io.imserver.auth.Identity;
import io.imserver.cluster.Presence;
import io.imserver.protocol.CommandTypes;
import io.imserver.protocol.ImException;
import io.imserver.protocol.MessagePreview;
import io.imserver.store.Group;
import io.imserver.store.GroupMember;
import io.imserver.store.GroupSeat;
import io.imserver.store.HeadKey;
import io.imserver.store.PeerType;
import io.imserver.store.SentKey;
import io.imserver.store.SentMessage;
import io.imserver.store.Store;
import io.imserver.store.StoreTx;
import io.imserver.store.StoredMessage;
import io.imserver.store.StreamType;
import io.imserver.store.User;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageItem;
import pb.SendMessage;

/**
 * {@code sendmessage}: stores a message and pushes it to every online device that should see it.
 *
 * <p>1:1 chat is write diffusion: a record in the sender's own conversation (already read) and one in the
 * receiver's (unread), each with its own id and seq. Group chat is read diffusion: one record in the group's stream,
 * whatever the group's size; members keep only a read index. The store commits before anything is pushed or
 * acknowledged.
 */
public final class SendMessageService {
    /** sender_type of an ordinary user; 1 (system) and 3 (business system) are for the business API. */
    static final int SENDER_USER = 2;

    /** Longest client message id accepted. */
    static final int MAX_CLIENT_MSG_ID = 64;

    private final Store store;
    private final Presence presence;
    private final Clock clock;
    private final Duration dedupWindow;
    /** Set once while wiring (before-send webhooks); {@link SendGate#OPEN} admits at once. */
    private volatile SendGate gate = SendGate.OPEN;

    /**
     * @param dedupWindow how long a client message id is remembered: a retry within it stores and pushes nothing
     */
    public SendMessageService(Store store, Presence presence, Clock clock, Duration dedupWindow) {
        this.store = store;
        this.presence = presence;
        this.clock = clock;
        this.dedupWindow = dedupWindow;
    }

    private record Stored(MessageItem reply, List<Delivery> deliveries) {
    }

    /** Every later send is first admitted by {@code sendGate} (an app's before-send hook). @return this */
    public SendMessageService gatedBy(SendGate sendGate) {
        this.gate = java.util.Objects.requireNonNull(sendGate, "sendGate");
        return this;
    }

    /**
     * Sends as the signed-in user; completes with the sender's stored record once it is durable. A retry with the
     * same {@code client_msg_id} within the dedup window completes with the record of the first send and stores
     * and pushes nothing.
     */
    public CompletableFuture<MessageItem> send(Identity from, SendMessage request) {
        validate(request);
        return gate.admit(from, request, () -> store(from, request));
    }

    private CompletableFuture<MessageItem> store(Identity from, SendMessage request) {
        var type = PeerType.of(request.getReceiverType());
        var clientMsgId = request.getClientMsgId();
        var body = new EncodedBody(request.getMessageBody());
        CompletableFuture<Stored> stored = store.write(tx -> {
            var entry = clientMsgId.isEmpty() ? Optional.<SentMessage>empty()
                    : tx.messages().sentWithClientId(from.appId(), from.userId(), clientMsgId);
            if (entry.isPresent() && entry.get().sentSince(clock.millis() - dedupWindow.toMillis())) {
                var earlier = tx.messages().find(entry.get().messageId()).orElseThrow();
                return new Stored(MessageItems.of(earlier, entry.get().conversationId()), List.of());
            }
            var result = type == PeerType.USER ? storeDirect(tx, from, request, body)
                    : storeInGroup(tx, from, request, body);
            if (!clientMsgId.isEmpty()) {
                tx.messages().rememberSent(from.appId(), from.userId(), clientMsgId, result.reply().getId(),
                        result.reply().getConversationId(), clock.millis(), entry.orElse(null));
            }
            return result;
        }, this::push, heads(from, request, type),
                clientMsgId.isEmpty() ? null : new SentKey(from.appId(), from.userId(), clientMsgId));
        return stored.thenApply(Stored::reply);
    }

    /** The stream heads a send moves: both 1:1 conversations of the pair, or the group's. */
    private static List<HeadKey> heads(Identity from, SendMessage request, PeerType type) {
        long app = from.appId();
        long peer = request.getReceiverId();
        if (type == PeerType.GROUP) {
            return List.of(HeadKey.group(app, peer));
        }
        return peer == from.userId() ? List.of(HeadKey.direct(app, peer, peer))
                : List.of(HeadKey.direct(app, from.userId(), peer), HeadKey.direct(app, peer, from.userId()));
    }

    /** Forgets client message ids older than the dedup window. @return how many */
    public CompletableFuture<Integer> forgetExpiredClientIds() {
        return store.write(tx -> tx.messages().forgetSentBefore(clock.millis() - dedupWindow.toMillis()));
    }

    /** Runs right after the commit, in commit order, so pushes leave in seq order. */
    private void push(Stored stored) {
        Delivery.pushAll(presence, CommandTypes.PUSH_MESSAGE, stored.deliveries());
    }

    private Stored storeDirect(StoreTx tx, Identity from, SendMessage request, EncodedBody body) {
        long app = from.appId();
        long now = clock.millis();
        User sender = sender(tx, from);
        long peerId = request.getReceiverId();
        if (peerId != from.userId() && tx.users().find(app, peerId).isEmpty()) {
            throw ImException.notFound("user " + peerId + " does not exist in app " + app);
        }
        DirectSendPolicy.check(tx, app, from.userId(), peerId);
        var record = record(from, request, body, sender.nickname(), sender.avatarUrl(), now);
        var senderConv = tx.conversations().directHead(app, from.userId(), peerId, now);
        long senderSeq = senderConv.lastSeq() + 1;
        if (peerId == from.userId()) {
            var only = appendToConversation(tx, senderConv.conversationId(), record.inStream(StreamType.CONVERSATION,
                    senderConv.conversationId(), senderSeq, senderSeq), true);
            var item = MessageItems.of(only, senderConv.conversationId(), body.parsed());
            return new Stored(item, List.of(new Delivery(app, from.userId(), from.deviceId(), item)));
        }
        var peerConv = tx.conversations().directHead(app, peerId, from.userId(), now);
        long peerSeq = peerConv.lastSeq() + 1;
        var senderCopy = appendToConversation(tx, senderConv.conversationId(),
                record.inStream(StreamType.CONVERSATION, senderConv.conversationId(), senderSeq, peerSeq), true);
        var peerCopy = appendToConversation(tx, peerConv.conversationId(),
                record.inStream(StreamType.CONVERSATION, peerConv.conversationId(), peerSeq, senderSeq), false);
        var senderItem = MessageItems.of(senderCopy, senderConv.conversationId(), body.parsed());
        // the peer's copy is the sender's item with its own id, seq and conversation, built only if the peer may
        // have a device to take it (usually the sender has no other device either)
        var deliveries = List.of(new Delivery(app, from.userId(), from.deviceId(), senderItem),
                new Delivery(app, peerId, 0, () -> senderItem.toBuilder().setId(peerCopy.id()).setSeq(peerCopy.seq())
                        .setConversationId(peerConv.conversationId()).build().toByteString()));
        return new Stored(senderItem, deliveries);
    }

    private static StoredMessage appendToConversation(StoreTx tx, long conversationId, StoredMessage copy,
                                                      boolean read) {
        var stored = tx.messages().insert(copy);
        tx.conversations().advanceHead(conversationId, stored.seq(), stored.id(), stored.senderId(),
                stored.senderName(), stored.preview(), stored.sendTime(), read);
        return stored;
    }

    private Stored storeInGroup(StoreTx tx, Identity from, SendMessage request, EncodedBody body) {
        long app = from.appId();
        long now = clock.millis();
        long groupId = request.getReceiverId();
        Group group = GroupService.requireGroup(tx, app, groupId);
        GroupMember member = tx.groups().member(groupId, from.userId())
                .orElseThrow(() -> ImException.forbidden("user " + from.userId() + " is not a member of group "
                        + groupId));
        GroupSendPolicy.requireMaySend(group, member, now);
        User sender = sender(tx, from);
        String name = member.label().isEmpty() ? sender.nickname() : member.label();
        long seq = group.lastSeq() + 1;
        var message = tx.messages().insert(
                record(from, request, body, name, sender.avatarUrl(), now)
                        .inStream(StreamType.GROUP, groupId, seq, 0));
        tx.groups().advanceHead(groupId, seq, message.id(), from.userId(), name, message.preview(), now);

        Map<Long, GroupSeat> seats = tx.conversations().activeGroupConversations(app, groupId);
        var senderSeat = seats.get(from.userId());
        long senderConversation = senderSeat != null ? senderSeat.conversationId() : tx.conversations()
                .getOrCreate(app, from.userId(), PeerType.GROUP, groupId, group.lastSeq(), now).id();
        tx.conversations().advanceRead(senderConversation, seq);
        for (long mentioned : new LinkedHashSet<>(message.toUserIds())) {
            if (mentioned != from.userId() && seats.containsKey(mentioned)) {
                tx.conversations().addMention(app, mentioned, groupId, seq);
            }
        }

        var deliveries = new ArrayList<Delivery>();
        var base = MessageItems.of(message, 0, body.parsed()).toByteString();
        for (var e : seats.entrySet()) {
            long userId = e.getKey();
            long except = userId == from.userId() ? from.deviceId() : 0;
            long conversationId = e.getValue().conversationId();
            deliveries.add(new Delivery(app, userId, except,
                    () -> MessageItems.withConversation(base, conversationId)));
        }
        return new Stored(MessageItems.of(message, senderConversation, body.parsed()), deliveries);
    }

    private static User sender(StoreTx tx, Identity from) {
        return tx.users().find(from.appId(), from.userId()).orElseThrow(() -> ImException.notFound(
                "user " + from.userId() + " does not exist in app " + from.appId()));
    }

    /**
     * The client's body with its stored bytes and preview, made before the write is queued.
     *
     * @implNote Encoding and previewing on the calling thread (a WebSocket send's event loop) instead of inside the
     *     write takes them off the one writer thread every message waits for; the items pushed reuse the parsed
     *     body instead of parsing the stored bytes again (protobuf keeps unknown fields, so both are the same).
     */
    private record EncodedBody(MessageBody parsed, byte[] bytes, String preview) {
        EncodedBody(MessageBody parsed) {
            this(parsed, parsed.toByteArray(), MessagePreview.of(parsed));
        }
    }

    /** The record as the client asked, with the server's own sender fields and time; stream and seq unset. */
    private static StoredMessage record(Identity from, SendMessage r, EncodedBody body, String senderName,
                                        String senderAvatar, long now) {
        var mentions = r.getReceiverType() == PeerType.GROUP.code() ? List.copyOf(r.getToUserIdsList()) : List.<Long>of();
        return new StoredMessage(0, from.appId(), null, 0, 0, SENDER_USER, from.userId(), from.deviceId(),
                r.getReceiverType(), r.getReceiverId(), mentions, body.parsed().getMessageTypeValue(), body.bytes(),
                now, StoredMessage.STATUS_NORMAL, senderName, senderAvatar, r.getHelp(), body.preview(),
                r.getClientMsgId(), 0);
    }

    static void validate(SendMessage r) {
        if (r.getSenderType() == 1 || r.getSenderType() == 3) {
            throw ImException.forbidden("sender_type " + r.getSenderType()
                    + " (system or business system) is for the business API only");
        }
        if (r.getSenderType() != 0 && r.getSenderType() != SENDER_USER) {
            throw ImException.invalid("sender_type: " + r.getSenderType() + " (expected: 2 user)");
        }
        if (r.getReceiverType() != 1 && r.getReceiverType() != 2) {
            throw ImException.invalid("receiver_type: " + r.getReceiverType() + " (expected: 1 user or 2 group)");
        }
        if (r.getReceiverId() <= 0) {
            throw ImException.invalid("receiver_id: " + r.getReceiverId() + " (expected: > 0)");
        }
        validateBody(r.getMessageBody());
        if (r.getClientMsgId().length() > MAX_CLIENT_MSG_ID) {
            throw ImException.invalid("client_msg_id: " + r.getClientMsgId().length() + " characters (expected: <= "
                    + MAX_CLIENT_MSG_ID + ")");
        }
        ImException.requireNoNul("client_msg_id", r.getClientMsgId());
        if (r.getToUserIdsCount() > 100) {
            throw ImException.invalid("to_user_ids: " + r.getToUserIdsCount() + " ids (expected: <= 100)");
        }
    }

    static void validateBody(MessageBody body) {
        var content = body.getMessageContent().getContentCase();
        if (content == MessageContent.ContentCase.CONTENT_NOT_SET) {
            throw ImException.invalid("message_body: no message_content (expected: one of the nine message types)");
        }
        if (body.getMessageTypeValue() != content.getNumber()) {
            throw ImException.invalid("message_type: " + body.getMessageTypeValue() + " (expected: "
                    + content.getNumber() + " for " + content.name().toLowerCase() + " content)");
        }
    }
}

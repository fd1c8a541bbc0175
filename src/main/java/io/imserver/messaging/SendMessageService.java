package io.imserver.messaging;

import io.imserver.auth.Identity;
import io.imserver.cluster.Presence;
import io.imserver.protocol.CommandTypes;
import io.imserver.protocol.ImException;
import io.imserver.protocol.MessagePreview;
import io.imserver.protocol.Outputs;
import io.imserver.store.Group;
import io.imserver.store.GroupMember;
import io.imserver.store.PeerType;
import io.imserver.store.Store;
import io.imserver.store.StoreTx;
import io.imserver.store.StoredMessage;
import io.imserver.store.StreamType;
import io.imserver.store.User;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    private final Store store;
    private final Presence presence;
    private final Clock clock;

    public SendMessageService(Store store, Presence presence, Clock clock) {
        this.store = store;
        this.presence = presence;
        this.clock = clock;
    }

    private record Delivery(long appId, long userId, long exceptDeviceId, MessageItem item) {
    }

    private record Stored(MessageItem reply, List<Delivery> deliveries) {
    }

    /** Sends as the signed-in user; completes with the sender's stored record once it is durable. */
    public CompletableFuture<MessageItem> send(Identity from, SendMessage request) {
        validate(request);
        var type = PeerType.of(request.getReceiverType());
        CompletableFuture<Stored> stored = store.write(
                tx -> type == PeerType.USER ? storeDirect(tx, from, request) : storeInGroup(tx, from, request),
                this::push);
        return stored.thenApply(Stored::reply);
    }

    /** Runs on the writer thread right after the commit, so pushes leave in commit (seq) order. */
    private void push(Stored stored) {
        for (var d : stored.deliveries()) {
            presence.deliver(d.appId(), d.userId(), d.exceptDeviceId(), Outputs.ok(CommandTypes.PUSH_MESSAGE, d.item()));
        }
    }

    private Stored storeDirect(StoreTx tx, Identity from, SendMessage request) {
        long app = from.appId();
        long now = clock.millis();
        User sender = sender(tx, from);
        long peerId = request.getReceiverId();
        if (peerId != from.userId() && tx.users().find(app, peerId).isEmpty()) {
            throw ImException.notFound("user " + peerId + " does not exist in app " + app);
        }
        var record = record(from, request, sender.nickname(), sender.avatarUrl(), now);

        var senderConv = tx.conversations().getOrCreate(app, from.userId(), PeerType.USER, peerId, 0, now);
        var senderCopy = appendToConversation(tx, senderConv.id(), senderConv.lastSeq() + 1, record, true);
        var senderItem = MessageItems.of(senderCopy, senderConv.id());
        var deliveries = new ArrayList<Delivery>(2);
        deliveries.add(new Delivery(app, from.userId(), from.deviceId(), senderItem));

        if (peerId != from.userId()) {
            var peerConv = tx.conversations().getOrCreate(app, peerId, PeerType.USER, from.userId(), 0, now);
            var peerCopy = appendToConversation(tx, peerConv.id(), peerConv.lastSeq() + 1, record, false);
            deliveries.add(new Delivery(app, peerId, 0, MessageItems.of(peerCopy, peerConv.id())));
        }
        return new Stored(senderItem, deliveries);
    }

    private StoredMessage appendToConversation(StoreTx tx, long conversationId, long seq, StoredMessage record,
                                               boolean read) {
        var copy = tx.messages().insert(inStream(record, StreamType.CONVERSATION, conversationId, seq));
        tx.conversations().advanceHead(conversationId, seq, copy.id(), copy.senderId(), copy.senderName(),
                copy.preview(), copy.sendTime(), read);
        return copy;
    }

    private Stored storeInGroup(StoreTx tx, Identity from, SendMessage request) {
        long app = from.appId();
        long now = clock.millis();
        long groupId = request.getReceiverId();
        Group group = tx.groups().find(app, groupId)
                .orElseThrow(() -> ImException.notFound("group " + groupId + " does not exist in app " + app));
        GroupMember member = tx.groups().member(groupId, from.userId())
                .orElseThrow(() -> ImException.forbidden("user " + from.userId() + " is not a member of group "
                        + groupId));
        User sender = sender(tx, from);
        String name = member.label().isEmpty() ? sender.nickname() : member.label();
        long seq = group.lastSeq() + 1;
        var message = tx.messages().insert(
                inStream(record(from, request, name, sender.avatarUrl(), now), StreamType.GROUP, groupId, seq));
        tx.groups().advanceHead(groupId, seq, message.id(), from.userId(), name, message.preview(), now);

        Map<Long, Long> conversations = tx.conversations().activeGroupConversations(app, groupId);
        Long senderConversation = conversations.get(from.userId());
        if (senderConversation == null) {
            senderConversation = tx.conversations()
                    .getOrCreate(app, from.userId(), PeerType.GROUP, groupId, group.lastSeq(), now).id();
        }
        tx.conversations().advanceRead(senderConversation, seq);

        var deliveries = new ArrayList<Delivery>(conversations.size());
        for (var e : conversations.entrySet()) {
            long userId = e.getKey();
            if (presence.isOnline(app, userId)) {
                long except = userId == from.userId() ? from.deviceId() : 0;
                deliveries.add(new Delivery(app, userId, except, MessageItems.of(message, e.getValue())));
            }
        }
        return new Stored(MessageItems.of(message, senderConversation), deliveries);
    }

    private static User sender(StoreTx tx, Identity from) {
        return tx.users().find(from.appId(), from.userId()).orElseThrow(() -> ImException.notFound(
                "user " + from.userId() + " does not exist in app " + from.appId()));
    }

    /** The record as the client asked, with the server's own sender fields and time; stream and seq unset. */
    private static StoredMessage record(Identity from, SendMessage r, String senderName, String senderAvatar,
                                        long now) {
        var body = r.getMessageBody();
        var mentions = r.getReceiverType() == PeerType.GROUP.code() ? List.copyOf(r.getToUserIdsList()) : List.<Long>of();
        return new StoredMessage(0, from.appId(), null, 0, 0, SENDER_USER, from.userId(), from.deviceId(),
                r.getReceiverType(), r.getReceiverId(), mentions, body.getMessageTypeValue(), body.toByteArray(),
                now, 0, senderName, senderAvatar, r.getHelp(), MessagePreview.of(body));
    }

    private static StoredMessage inStream(StoredMessage m, StreamType type, long streamId, long seq) {
        return new StoredMessage(0, m.appId(), type, streamId, seq, m.senderType(), m.senderId(), m.senderDeviceId(),
                m.receiverType(), m.receiverId(), m.toUserIds(), m.messageType(), m.body(), m.sendTime(), m.status(),
                m.senderName(), m.senderAvatar(), m.help(), m.preview());
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

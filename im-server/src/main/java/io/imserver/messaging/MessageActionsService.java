package io.imserver.messaging;

import io.imserver.auth.Identity;
import io.imserver.cluster.Presence;
import io.imserver.protocol.CommandTypes;
import io.imserver.protocol.ImException;
import io.imserver.protocol.MessagePreview;
import io.imserver.store.PeerType;
import io.imserver.store.Store;
import io.imserver.store.StoreTx;
import io.imserver.store.StoredMessage;
import io.imserver.store.StreamType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import pb.DeleteMessageReq;
import pb.MessageItem;
import pb.RecallReq;

/**
 * Changes to stored messages: recall (every copy loses its content and becomes status 1, online participants are
 * pushed) and delete-for-me (one user's view only).
 */
public final class MessageActionsService {
    private static final byte[] NO_BODY = new byte[0];

    private final Store store;
    private final Presence presence;
    private final Clock clock;
    private final Duration recallWindow;

    /** @param recallWindow how long after sending a sender may recall its own message */
    public MessageActionsService(Store store, Presence presence, Clock clock, Duration recallWindow) {
        this.store = store;
        this.presence = presence;
        this.clock = clock;
        this.recallWindow = recallWindow;
    }

    private record Recalled(MessageItem reply, List<Delivery> deliveries) {
    }

    /**
     * {@code recall}: the sender within the recall window, or an owner/admin of the group at any time. Completes
     * with the caller's copy, now recalled. Recalling a recalled message changes nothing.
     */
    public CompletableFuture<MessageItem> recall(Identity who, RecallReq req) {
        return store.write(tx -> {
            var visible = VisibleMessage.find(tx, who, req.getMessageId());
            var m = visible.message();
            var conv = visible.conversation();
            return m.streamType() == StreamType.CONVERSATION ? recallDirect(tx, who, m, conv.id(), conv.peerId())
                    : recallInGroup(tx, who, m, conv.id());
        }, this::push).thenApply(Recalled::reply);
    }

    /** Recalls every copy that is still normal; a copy its owner deleted stays deleted. */
    private Recalled recallDirect(StoreTx tx, Identity who, StoredMessage m, long conversationId, long peerId) {
        if (m.senderId() != who.userId()) {
            throw ImException.forbidden("only the sender may recall message " + m.id());
        }
        var peerConv = peerId == who.userId() ? java.util.Optional.<io.imserver.store.Conversation>empty()
                : tx.conversations().find(who.appId(), peerId, PeerType.USER, who.userId());
        var other = peerConv.flatMap(c -> tx.messages().findBySeq(StreamType.CONVERSATION, c.id(), m.pairSeq()));
        boolean mineNormal = m.status() == StoredMessage.STATUS_NORMAL;
        boolean otherNormal = other.isPresent() && other.get().status() == StoredMessage.STATUS_NORMAL;
        if (!mineNormal && !otherNormal) {
            return new Recalled(MessageItems.of(m, conversationId), List.of());
        }
        requireWithinWindow(m);
        var deliveries = new ArrayList<Delivery>(2);
        var mine = m;
        if (mineNormal) {
            mine = rewriteRecalled(tx, m);
            tx.conversations().messageChanged(conversationId, m.id(), MessagePreview.RECALLED);
            deliveries.add(new Delivery(who.appId(), who.userId(), who.deviceId(), MessageItems.of(mine, conversationId)));
        }
        if (otherNormal) {
            var theirs = rewriteRecalled(tx, other.get());
            tx.conversations().messageChanged(peerConv.get().id(), theirs.id(), MessagePreview.RECALLED);
            deliveries.add(new Delivery(who.appId(), peerId, 0, MessageItems.of(theirs, peerConv.get().id())));
        }
        return new Recalled(MessageItems.of(mine, conversationId), deliveries);
    }

    private Recalled recallInGroup(StoreTx tx, Identity who, StoredMessage m, long conversationId) {
        long groupId = m.streamId();
        var member = tx.groups().member(groupId, who.userId()).orElseThrow(() -> ImException.forbidden(
                "user " + who.userId() + " is not a member of group " + groupId));
        if (!member.role().canManage() && m.senderId() != who.userId()) {
            throw ImException.forbidden("only the sender, an owner or an admin may recall message " + m.id());
        }
        if (m.status() == StoredMessage.STATUS_RECALLED) {
            return new Recalled(MessageItems.of(m, conversationId), List.of());
        }
        if (!member.role().canManage()) {
            requireWithinWindow(m);
        }
        var recalled = rewriteRecalled(tx, m);
        tx.groups().messageChanged(groupId, m.id(), MessagePreview.RECALLED);
        var deliveries = new ArrayList<Delivery>();
        for (var e : tx.conversations().activeGroupConversations(who.appId(), groupId).entrySet()) {
            // only members who can see the message: one who joined after it never had it
            if (e.getValue().joinedSeq() < m.seq()) {
                long except = e.getKey() == who.userId() ? who.deviceId() : 0;
                long memberConversation = e.getValue().conversationId();
                deliveries.add(new Delivery(who.appId(), e.getKey(), except,
                        () -> MessageItems.of(recalled, memberConversation).toByteString()));
            }
        }
        return new Recalled(MessageItems.of(recalled, conversationId), deliveries);
    }

    private void requireWithinWindow(StoredMessage m) {
        if (clock.millis() - m.sendTime() > recallWindow.toMillis()) {
            throw ImException.forbidden("message " + m.id() + " is older than the recall window of "
                    + recallWindow.toSeconds() + " s");
        }
    }

    private static StoredMessage rewriteRecalled(StoreTx tx, StoredMessage m) {
        tx.messages().rewrite(m.id(), StoredMessage.STATUS_RECALLED, NO_BODY, MessagePreview.RECALLED);
        return tx.messages().find(m.id()).orElseThrow();
    }

    private void push(Recalled recalled) {
        Delivery.pushAll(presence, CommandTypes.PUSH_RECALL, recalled.deliveries());
    }

    /**
     * {@code deletemessage}: hides a message from the caller only. Its seq stays: {@code sync} returns a tombstone
     * (status 2, no body), so that seq-based catch-up sees no gap. Read positions do not change.
     */
    public CompletableFuture<Void> deleteForMe(Identity who, DeleteMessageReq req) {
        return store.write(tx -> {
            var visible = VisibleMessage.find(tx, who, req.getMessageId());
            var m = visible.message();
            var conv = visible.conversation();
            if (m.streamType() == StreamType.CONVERSATION) {
                tx.messages().rewrite(m.id(), StoredMessage.STATUS_DELETED, NO_BODY, "");
                tx.conversations().messageChanged(conv.id(), m.id(), "");
            } else {
                tx.messages().hide(who.appId(), who.userId(), m.id());
            }
            return null;
        });
    }
}

package io.imserver.messaging;

import io.imserver.auth.Identity;
import io.imserver.protocol.ImException;
import io.imserver.store.Conversation;
import io.imserver.store.ConversationView;
import io.imserver.store.PeerType;
import io.imserver.store.Store;
import io.imserver.store.StoreTx;
import io.imserver.store.StoredMessage;
import io.imserver.store.StreamType;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import pb.AddConversationReq;
import pb.AddConversationResp;
import pb.ConversationItem;
import pb.ConversationReq;
import pb.ConversationResp;
import pb.ConversationSettingReq;
import pb.MessageRead;
import pb.ReadNumResp;
import pb.SyncReq;
import pb.SyncResp;

/**
 * A user's conversations: the list with exact unread counts, history ({@code sync}), read receipts, and settings.
 *
 * <p>Unread counts never scan history: every stream is gap-free by seq, so a conversation's unread count is the
 * seq of the newest message the owner can see minus the owner's read seq. Own messages are always read (sending
 * moves the sender's read position past its message).
 */
public final class ConversationService {
    /** {@code top} / {@code disturb}: 1 off, 2 on. */
    static final int SETTING_OFF = 1;
    static final int SETTING_ON = 2;

    private final Store store;
    private final Clock clock;

    public ConversationService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** {@code getconversationlist}: pinned first, then latest activity, then id, all descending. */
    public ConversationResp list(Identity who, ConversationReq req) {
        var page = Paging.of(req.getLimit(), req.getOffset());
        var views = store.read(tx -> tx.conversations().list(who.appId(), who.userId(), page.limit(), page.offset()));
        var resp = ConversationResp.newBuilder();
        for (var v : views) {
            resp.addConversation(item(v));
        }
        return resp.build();
    }

    static ConversationItem item(ConversationView v) {
        var c = v.conversation();
        return ConversationItem.newBuilder()
                .setId(c.id())
                .setSenderId(v.lastSenderId())
                .setReceiverId(c.peerId())
                .setReceiverType(c.peerType().code())
                .setUpdateTime(v.updateTime() / 1000)
                .setTop(c.top())
                .setDisturb(c.disturb())
                .setUsername(v.peerName())
                .setMessagenewcontent(v.lastPreview())
                .setRemark(c.remark())
                .setReceiveNum(v.unread())
                .setSenderName(v.lastSenderName())
                .setAvatarUrl(v.peerAvatar())
                .setLastSeq(v.lastSeq())
                .setReadSeq(c.readSeq())
                .build();
    }

    /**
     * {@code sync}: messages of one of the caller's conversations, newest first, paged; marks everything up to the
     * newest returned message as read (the read position never moves back).
     */
    public CompletableFuture<SyncResp> sync(Identity who, SyncReq req) {
        var page = Paging.of(req.getLimit(), req.getOffset());
        var conv = store.read(tx -> owned(tx, who, req.getConversationId()));
        if (req.getReceiverType() != 0 && req.getReceiverType() != conv.peerType().code()) {
            throw ImException.invalid("receiver_type: " + req.getReceiverType() + " (expected: "
                    + conv.peerType().code() + ", the type of conversation " + conv.id() + ")");
        }
        List<StoredMessage> messages = store.read(tx -> conv.peerType() == PeerType.USER
                ? tx.messages().newestFirst(StreamType.CONVERSATION, conv.id(), 0, Long.MAX_VALUE, page.limit(),
                        page.offset())
                : tx.messages().newestFirst(StreamType.GROUP, conv.peerId(), conv.joinedSeq(),
                        conv.active() ? Long.MAX_VALUE : conv.lastSeq(), page.limit(), page.offset()));
        var resp = SyncResp.newBuilder();
        for (var m : messages) {
            resp.addMessages(MessageItems.of(m, conv.id()));
        }
        long newest = messages.isEmpty() ? 0 : messages.get(0).seq();
        if (newest <= conv.readSeq()) {
            return CompletableFuture.completedFuture(resp.build());
        }
        return store.write(tx -> tx.conversations().advanceRead(conv.id(), newest)).thenApply(moved -> resp.build());
    }

    /** {@code messageread}: the caller has read this message and everything before it in its conversation. */
    public CompletableFuture<Void> markRead(Identity who, MessageRead req) {
        long messageId = req.getMessageId();
        if (messageId <= 0) {
            throw ImException.invalid("message_id: " + messageId + " (expected: > 0)");
        }
        return store.write(tx -> {
            var m = tx.messages().find(messageId)
                    .orElseThrow(() -> ImException.notFound("message " + messageId + " does not exist"));
            var conv = visibleIn(tx, who, m);
            tx.conversations().advanceRead(conv.id(), m.seq());
            return null;
        });
    }

    /** The caller's conversation in which {@code m} is visible; refused if there is none. */
    private static Conversation visibleIn(StoreTx tx, Identity who, StoredMessage m) {
        var refused = ImException.forbidden("message " + m.id() + " is not in any of your conversations");
        if (m.appId() != who.appId()) {
            throw refused;
        }
        if (m.streamType() == StreamType.CONVERSATION) {
            var conv = tx.conversations().find(m.streamId()).orElseThrow(() -> refused);
            if (conv.ownerId() != who.userId()) {
                throw refused;
            }
            return conv;
        }
        var conv = tx.conversations().find(who.appId(), who.userId(), PeerType.GROUP, m.streamId())
                .orElseThrow(() -> refused);
        boolean inWindow = m.seq() > conv.joinedSeq() && (conv.active() || m.seq() <= conv.lastSeq());
        if (!inWindow) {
            throw refused;
        }
        return conv;
    }

    /** {@code addconversation}: opens (or finds) the caller's conversation with a user or a group it is in. */
    public CompletableFuture<AddConversationResp> add(Identity who, AddConversationReq req) {
        long peerId = req.getUserId();
        if (peerId <= 0) {
            throw ImException.invalid("user_id: " + peerId + " (expected: > 0, a user or group id)");
        }
        PeerType type;
        try {
            type = PeerType.of(req.getType());
        } catch (IllegalArgumentException e) {
            throw ImException.invalid("type: " + req.getType() + " (expected: 1 user or 2 group)");
        }
        return store.write(tx -> {
            long app = who.appId();
            if (type == PeerType.USER) {
                if (tx.users().find(app, peerId).isEmpty()) {
                    throw ImException.notFound("user " + peerId + " does not exist in app " + app);
                }
                return tx.conversations().getOrCreate(app, who.userId(), type, peerId, 0, clock.millis()).id();
            }
            var group = tx.groups().find(app, peerId)
                    .orElseThrow(() -> ImException.notFound("group " + peerId + " does not exist in app " + app));
            if (tx.groups().member(peerId, who.userId()).isEmpty()) {
                throw ImException.forbidden("user " + who.userId() + " is not a member of group " + peerId);
            }
            return tx.conversations().getOrCreate(app, who.userId(), type, peerId, group.lastSeq(), clock.millis())
                    .id();
        }).thenApply(id -> AddConversationResp.newBuilder().setConversationId(id).build());
    }

    /** {@code upconversation}: pins (2) or unpins (1); nothing else changes. */
    public CompletableFuture<Void> setTop(Identity who, ConversationSettingReq req) {
        int top = setting("top", req.getTop());
        return store.write(tx -> {
            tx.conversations().setTop(owned(tx, who, req.getConversationId()).id(), top);
            return null;
        });
    }

    /** {@code disturbconversation}: mutes (2) or unmutes (1); nothing else changes. */
    public CompletableFuture<Void> setDisturb(Identity who, ConversationSettingReq req) {
        int disturb = setting("disturb", req.getDisturb());
        return store.write(tx -> {
            tx.conversations().setDisturb(owned(tx, who, req.getConversationId()).id(), disturb);
            return null;
        });
    }

    /** {@code chatreadnum}: total unread over the caller's conversations that are not muted. */
    public ReadNumResp totalUnread(Identity who) {
        return ReadNumResp.newBuilder()
                .setNum(store.read(tx -> tx.conversations().totalUnread(who.appId(), who.userId())))
                .build();
    }

    private static int setting(String name, int value) {
        if (value != SETTING_OFF && value != SETTING_ON) {
            throw ImException.invalid(name + ": " + value + " (expected: 1 off or 2 on)");
        }
        return value;
    }

    /** The caller's own conversation; another user's (or a missing one) is refused. */
    static Conversation owned(StoreTx tx, Identity who, long conversationId) {
        if (conversationId <= 0) {
            throw ImException.invalid("conversation_id: " + conversationId + " (expected: > 0)");
        }
        var conv = tx.conversations().find(conversationId)
                .orElseThrow(() -> ImException.notFound("conversation " + conversationId + " does not exist"));
        if (conv.appId() != who.appId() || conv.ownerId() != who.userId()) {
            throw ImException.forbidden("conversation " + conversationId + " is not yours");
        }
        return conv;
    }
}

package io.imserver.messaging;

import io.imserver.auth.Identity;
import io.imserver.cluster.Presence;
import io.imserver.protocol.CommandTypes;
import io.imserver.protocol.Outputs;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import pb.AddConversationReq;
import pb.AddConversationResp;
import pb.ConversationItem;
import pb.ConversationReq;
import pb.ConversationResp;
import pb.ConversationSettingReq;
import pb.GroupReadCount;
import pb.GroupReadReq;
import pb.GroupReadResp;
import pb.MessageRead;
import pb.ReadNumResp;
import pb.ReadReceipt;
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

    /** Most seqs one {@code groupreadcount} may ask about. */
    static final int MAX_READ_COUNT_SEQS = 100;

    private final Store store;
    private final Presence presence;
    private final Clock clock;

    public ConversationService(Store store, Presence presence, Clock clock) {
        this.store = store;
        this.presence = presence;
        this.clock = clock;
    }

    private record Page(long version, List<ConversationView> views) {
    }

    /**
     * {@code getconversationlist}: pinned first, then latest activity, then id, all descending; or, with
     * {@code since_version}, the conversations changed since then, oldest change first. The reply's version is one
     * whose changes are all included, to pass as {@code since_version} next time.
     */
    public ConversationResp list(Identity who, ConversationReq req) {
        var page = Paging.of(req.getLimit(), req.getOffset());
        var resp = ConversationResp.newBuilder();
        if (req.hasSinceVersion()) {
            // the version floor is read before the query: every change up to it is committed and in the result.
            // Changes above it may be in the result too, and come again next time (another node may still be
            // committing an older one): a client applies a conversation's newest state, so a repeat is harmless.
            var changes = store.read(tx -> new Page(tx.version(), tx.conversations().changedSince(who.appId(),
                    who.userId(), req.getSinceVersion(), page.limit() + 1)));
            var views = changes.views();
            boolean more = views.size() > page.limit();
            if (more) {
                views = views.subList(0, page.limit());
            }
            long floor = changes.version();
            long version = Math.max(req.getSinceVersion(),
                    more ? Math.min(views.get(views.size() - 1).version(), floor) : floor);
            views.forEach(v -> resp.addConversation(item(v)));
            return resp.setVersion(version).setHasMore(more).build();
        }
        var all = store.read(tx -> new Page(tx.version(),
                tx.conversations().list(who.appId(), who.userId(), page.limit(), page.offset())));
        all.views().forEach(v -> resp.addConversation(item(v)));
        return resp.setVersion(all.version()).build();
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
                .setUnreadMentions(v.unreadMentions())
                .setPeerReadSeq(c.peerReadSeq())
                .setVersion(v.version())
                .build();
    }

    /**
     * {@code sync}: messages of one of the caller's conversations. By offset: newest first, paged, and everything
     * up to the newest returned message is marked read (the read position never moves back). By seq:
     * {@code after_seq} ascending (catch-up) or {@code before_seq} descending (scroll back), with {@code has_more},
     * marking nothing read. Messages the caller deleted come as tombstones (status 2, no body) to keep seqs whole.
     */
    public CompletableFuture<SyncResp> sync(Identity who, SyncReq req) {
        var page = Paging.of(req.getLimit(), req.getOffset());
        if (req.hasAfterSeq() && req.hasBeforeSeq()) {
            throw ImException.invalid("after_seq and before_seq: both set (expected: at most one)");
        }
        boolean bySeq = req.hasAfterSeq() || req.hasBeforeSeq();
        // one read connection for the conversation, its page and what the caller hid in it
        var found = store.read(tx -> {
            var conv = owned(tx, who, req.getConversationId());
            if (req.getReceiverType() != 0 && req.getReceiverType() != conv.peerType().code()) {
                throw ImException.invalid("receiver_type: " + req.getReceiverType() + " (expected: "
                        + conv.peerType().code() + ", the type of conversation " + conv.id() + ")");
            }
            var type = conv.peerType() == PeerType.USER ? StreamType.CONVERSATION : StreamType.GROUP;
            long streamId = type == StreamType.CONVERSATION ? conv.id() : conv.peerId();
            long floor = type == StreamType.GROUP ? conv.joinedSeq() : 0;
            long ceiling = type == StreamType.GROUP && !conv.active() ? conv.lastSeq() : Long.MAX_VALUE;
            List<StoredMessage> messages;
            if (req.hasAfterSeq()) {
                messages = tx.messages().oldestFirst(type, streamId, Math.max(floor, req.getAfterSeq()), ceiling,
                        page.limit() + 1);
            } else if (req.hasBeforeSeq()) {
                messages = tx.messages().newestFirst(type, streamId, floor, Math.min(ceiling, req.getBeforeSeq() - 1),
                        page.limit() + 1, 0);
            } else {
                messages = tx.messages().newestFirst(type, streamId, floor, ceiling, page.limit(), page.offset());
            }
            Set<Long> hidden = type == StreamType.GROUP && !messages.isEmpty()
                    ? tx.messages().hiddenAmong(who.appId(), who.userId(),
                            messages.stream().map(StoredMessage::id).toList())
                    : Set.of();
            return new SyncPage(conv, messages, hidden);
        });
        var conv = found.conversation();
        var messages = found.messages();
        var resp = SyncResp.newBuilder();
        if (bySeq) {
            boolean more = messages.size() > page.limit();
            addItems(resp, conv, more ? messages.subList(0, page.limit()) : messages, found.hidden());
            return CompletableFuture.completedFuture(resp.setHasMore(more).build());
        }
        addItems(resp, conv, messages, found.hidden());
        long newest = messages.isEmpty() ? 0 : messages.get(0).seq();
        if (newest <= conv.readSeq()) {
            return CompletableFuture.completedFuture(resp.build());
        }
        return store.write(tx -> readUpTo(tx, who, tx.conversations().find(conv.id()).orElseThrow(), newest),
                this::pushReceipts).thenApply(effects -> resp.build());
    }

    private record SyncPage(Conversation conversation, List<StoredMessage> messages, Set<Long> hidden) {
    }

    private static void addItems(SyncResp.Builder resp, Conversation conv, List<StoredMessage> messages,
                                 Set<Long> hidden) {
        for (var m : messages) {
            resp.addMessages(hidden.contains(m.id()) ? MessageItems.deletedForMe(m, conv.id())
                    : MessageItems.of(m, conv.id()));
        }
    }

    /** What moving a read position changes for other devices: a readsync for the reader, a receipt for a 1:1 peer. */
    private record ReadEffects(long appId, long readerId, long readerDeviceId, ReadReceipt readSync, long peerId,
                               ReadReceipt receipt) {
        static final ReadEffects NONE = new ReadEffects(0, 0, 0, null, 0, null);
    }

    /** Moves the reader's position to {@code seq}; in 1:1 also the peer's view of how far the reader has read. */
    private static ReadEffects readUpTo(StoreTx tx, Identity who, Conversation conv, long seq) {
        if (!tx.conversations().advanceRead(conv.id(), seq)) {
            return ReadEffects.NONE;
        }
        var view = tx.conversations().view(conv.id()).orElseThrow();
        var readSync = ReadReceipt.newBuilder().setConversationId(conv.id()).setReceiverType(conv.peerType().code())
                .setReceiverId(conv.peerId()).setReaderId(who.userId()).setReadSeq(seq).setUnread(view.unread())
                .build();
        ReadReceipt receipt = null;
        if (conv.peerType() == PeerType.USER && conv.peerId() != who.userId()) {
            var latestFromPeer = tx.messages().latestFrom(StreamType.CONVERSATION, conv.id(), seq, conv.peerId());
            var peerConv = tx.conversations().find(who.appId(), conv.peerId(), PeerType.USER, who.userId());
            if (latestFromPeer.isPresent() && peerConv.isPresent()
                    && tx.conversations().advancePeerRead(peerConv.get().id(), latestFromPeer.get().pairSeq())) {
                receipt = ReadReceipt.newBuilder().setConversationId(peerConv.get().id())
                        .setReceiverType(PeerType.USER.code()).setReceiverId(who.userId()).setReaderId(who.userId())
                        .setReadSeq(latestFromPeer.get().pairSeq()).build();
            }
        }
        return new ReadEffects(who.appId(), who.userId(), who.deviceId(), readSync, conv.peerId(), receipt);
    }

    /** After commit: the reader's other devices, and a 1:1 peer's devices, learn of the new read position. */
    private void pushReceipts(ReadEffects effects) {
        if (effects.readSync() != null) {
            presence.deliver(effects.appId(), effects.readerId(), effects.readerDeviceId(),
                    Outputs.ok(CommandTypes.PUSH_READ_SYNC, effects.readSync()));
        }
        if (effects.receipt() != null) {
            presence.deliver(effects.appId(), effects.peerId(), 0, Outputs.ok(CommandTypes.PUSH_RECEIPT, effects.receipt()));
        }
    }

    /** {@code messageread}: the caller has read this message and everything before it in its conversation. */
    public CompletableFuture<Void> markRead(Identity who, MessageRead req) {
        return store.write(tx -> {
            var visible = VisibleMessage.find(tx, who, req.getMessageId());
            return readUpTo(tx, who, visible.conversation(), visible.message().seq());
        }, this::pushReceipts).thenApply(effects -> null);
    }

    /** {@code groupreadcount}: for each asked seq of a group conversation, how many members have read it. */
    public GroupReadResp groupReadCounts(Identity who, GroupReadReq req) {
        if (req.getSeqsCount() > MAX_READ_COUNT_SEQS) {
            throw ImException.invalid("seqs: " + req.getSeqsCount() + " (expected: <= " + MAX_READ_COUNT_SEQS + ")");
        }
        return store.read(tx -> {
            var conv = owned(tx, who, req.getConversationId());
            if (conv.peerType() != PeerType.GROUP) {
                throw ImException.invalid("conversation_id: " + conv.id() + " (expected: a group conversation)");
            }
            var resp = GroupReadResp.newBuilder();
            for (long seq : req.getSeqsList()) {
                var m = tx.messages().findBySeq(StreamType.GROUP, conv.peerId(), seq)
                        .filter(found -> found.seq() > conv.joinedSeq() && (conv.active() || found.seq() <= conv.lastSeq()))
                        .orElseThrow(() -> ImException.notFound("seq " + seq + " is not in conversation " + conv.id()));
                var tally = tx.groups().readTally(conv.peerId(), seq, m.senderId());
                resp.addCounts(GroupReadCount.newBuilder().setSeq(seq).setReadCount(tally.read())
                        .setMemberCount(tally.members()));
            }
            return resp.build();
        });
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
            var group = GroupService.requireGroup(tx, app, peerId);
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

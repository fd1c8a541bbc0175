package io.imserver.messaging;

import io.imserver.auth.Identity;
import io.imserver.cluster.Presence;
import io.imserver.cluster.Push;
import io.imserver.protocol.CommandTypes;
import io.imserver.protocol.ImException;
import io.imserver.protocol.Outputs;
import io.imserver.store.PeerType;
import io.imserver.store.Store;
import pb.OnlineReq;
import pb.OnlineResp;
import pb.TypingNotice;
import pb.TypingReq;

/** Transient signals, never stored: "typing" notices, and who of a list of users is online. */
public final class PresenceService {
    /** Most users one {@code online} query may name. */
    static final int MAX_ONLINE_QUERY = 100;

    private final Store store;
    private final Presence presence;

    public PresenceService(Store store, Presence presence) {
        this.store = store;
        this.presence = presence;
    }

    /** {@code typing}: relays a notice to the peer's online devices, or to the group's other online members. */
    public void typing(Identity who, TypingReq req) {
        long app = who.appId();
        var notice = TypingNotice.newBuilder().setSenderId(who.userId()).setReceiverType(req.getReceiverType())
                .setReceiverId(req.getReceiverId());
        switch (req.getReceiverType()) {
            case 1 -> {
                if (req.getReceiverId() == who.userId() || !presence.mayBeOnline(app, req.getReceiverId())) {
                    return;
                }
                long conversationId = store.read(tx -> tx.conversations()
                        .find(app, req.getReceiverId(), PeerType.USER, who.userId()).map(c -> c.id()).orElse(0L));
                presence.deliver(app, req.getReceiverId(), 0,
                        Outputs.ok(CommandTypes.PUSH_TYPING, notice.setConversationId(conversationId).build()));
            }
            case 2 -> {
                var members = store.read(tx -> {
                    if (tx.groups().member(req.getReceiverId(), who.userId()).isEmpty()) {
                        throw ImException.forbidden("user " + who.userId() + " is not a member of group "
                                + req.getReceiverId());
                    }
                    return tx.conversations().activeGroupConversations(app, req.getReceiverId());
                });
                var pushes = new java.util.ArrayList<Push>(members.size());
                for (var e : members.entrySet()) {
                    if (e.getKey() != who.userId()) {
                        pushes.add(new Push(app, e.getKey(), 0, Outputs.ok(CommandTypes.PUSH_TYPING,
                                notice.setConversationId(e.getValue().conversationId()).build())));
                    }
                }
                presence.deliverAll(pushes);
            }
            default -> throw ImException.invalid("receiver_type: " + req.getReceiverType()
                    + " (expected: 1 user or 2 group)");
        }
    }

    /** {@code online}: which of the named users of the caller's app have a signed-in device. */
    public OnlineResp online(Identity who, OnlineReq req) {
        if (req.getUserIdsCount() > MAX_ONLINE_QUERY) {
            throw ImException.invalid("user_ids: " + req.getUserIdsCount() + " (expected: <= " + MAX_ONLINE_QUERY + ")");
        }
        var resp = OnlineResp.newBuilder();
        req.getUserIdsList().stream().distinct().filter(id -> presence.isOnline(who.appId(), id))
                .forEach(resp::addOnlineUserIds);
        return resp.build();
    }
}

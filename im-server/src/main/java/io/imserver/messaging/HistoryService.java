package io.imserver.messaging;

import io.imserver.protocol.ImException;
import io.imserver.store.PeerType;
import io.imserver.store.Store;
import io.imserver.store.StreamType;
import pb.SyncResp;

/** The admin's view of a conversation's messages: newest first, paged, marking nothing read. */
public final class HistoryService {
    private final Store store;

    public HistoryService(Store store) {
        this.store = store;
    }

    /** The messages the conversation's owner sees (a group conversation: within the owner's window). */
    public SyncResp messages(long appId, long conversationId, Paging page) {
        return store.read(tx -> {
            var conv = tx.conversations().find(conversationId).filter(c -> c.appId() == appId)
                    .orElseThrow(() -> ImException.notFound("conversation " + conversationId
                            + " does not exist in app " + appId));
            var type = conv.peerType() == PeerType.USER ? StreamType.CONVERSATION : StreamType.GROUP;
            long streamId = type == StreamType.CONVERSATION ? conv.id() : conv.peerId();
            long floor = type == StreamType.GROUP ? conv.joinedSeq() : 0;
            long ceiling = type == StreamType.GROUP && !conv.active() ? conv.lastSeq() : Long.MAX_VALUE;
            var resp = SyncResp.newBuilder();
            for (var m : tx.messages().newestFirst(type, streamId, floor, ceiling, page.limit(), page.offset())) {
                resp.addMessages(MessageItems.of(m, conv.id()));
            }
            return resp.build();
        });
    }
}

package io.imserver.messaging;

import io.imserver.auth.Identity;
import io.imserver.protocol.ImException;
import io.imserver.store.Conversation;
import io.imserver.store.PeerType;
import io.imserver.store.StoreTx;
import io.imserver.store.StoredMessage;
import io.imserver.store.StreamType;

/** A message one user may see, with that user's conversation holding it. Anything else is refused. */
record VisibleMessage(StoredMessage message, Conversation conversation) {

    /**
     * The message with this id as the caller sees it: 400 for a bad id, 404 if it does not exist, 403 if it is in
     * none of the caller's conversations (another user's copy, a group the caller is not in or joined later).
     */
    static VisibleMessage find(StoreTx tx, Identity who, long messageId) {
        if (messageId <= 0) {
            throw ImException.invalid("message_id: " + messageId + " (expected: > 0)");
        }
        var m = tx.messages().find(messageId)
                .orElseThrow(() -> ImException.notFound("message " + messageId + " does not exist"));
        return new VisibleMessage(m, visibleIn(tx, who, m));
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

}

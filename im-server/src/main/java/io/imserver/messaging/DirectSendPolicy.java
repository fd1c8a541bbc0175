package io.imserver.messaging;

import io.imserver.protocol.ErrorCode;
import io.imserver.protocol.ImException;
import io.imserver.store.StoreTx;

/**
 * Who may send 1:1 to whom: nobody to a user who has blocked them ({@link ErrorCode#BLOCKED}), and, in an app with
 * "friends only" on, nobody to a non-friend ({@link ErrorCode#NOT_FRIENDS}). Group messages are not affected.
 *
 * @implNote Runs inside the send's write, before anything is written, so a refusal fails that send alone; the
 * writer answers these lookups from its cache like the user and membership checks beside it.
 */
final class DirectSendPolicy {
    private DirectSendPolicy() {
    }

    static void check(StoreTx tx, long appId, long senderId, long receiverId) {
        if (senderId == receiverId) {
            return;
        }
        var social = tx.social();
        if (social.blocks(appId, receiverId, senderId)) {
            throw new ImException(ErrorCode.BLOCKED, "user " + receiverId + " has blocked you");
        }
        if (social.friendsOnly(appId) && !social.areFriends(appId, senderId, receiverId)) {
            throw new ImException(ErrorCode.NOT_FRIENDS, "user " + receiverId
                    + " is not your friend (this app sends 1:1 only between friends)");
        }
    }
}

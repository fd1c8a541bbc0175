package io.imserver.messaging;

import io.imserver.protocol.ImException;
import io.imserver.store.Group;
import io.imserver.store.GroupMember;
import io.imserver.store.GroupRole;

/**
 * Who may send into a group right now: a member muted individually may not (whatever its role), and while mute
 * all is on only the owner and admins may. Reads only what the send path has already loaded.
 */
final class GroupSendPolicy {
    private GroupSendPolicy() {
    }

    /** Throws {@link io.imserver.protocol.ErrorCode#MUTED} when {@code member} may not send at {@code nowMs}. */
    static void requireMaySend(Group group, GroupMember member, long nowMs) {
        if (member.mutedAt(nowMs)) {
            throw ImException.muted("user " + member.userId() + " is muted in group " + group.groupId()
                    + (member.mutedUntil() == GroupMember.UNTIL_UNMUTED ? " until unmuted"
                    : " until " + java.time.Instant.ofEpochMilli(member.mutedUntil())));
        }
        if (group.muteAll() && member.role() == GroupRole.MEMBER) {
            throw ImException.muted("group " + group.groupId() + " is muted: only the owner and admins may send");
        }
    }
}

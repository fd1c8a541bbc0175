package io.imserver.store;

/**
 * A conversation as its owner sees it in the list: the effective head of its stream (the group's for an active
 * group member), the peer's name and avatar, the exact unread count {@code lastSeq - readSeq}, unread mentions, and
 * the version of the latest change the owner can see (the group head's for an active member).
 */
public record ConversationView(Conversation conversation, long lastSeq, long lastSenderId, String lastSenderName,
                               String lastPreview, long updateTime, String peerName, String peerAvatar,
                               long unreadMentions, long version) {

    public long unread() {
        return Math.max(0, lastSeq - conversation.readSeq());
    }
}

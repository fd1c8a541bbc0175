package io.imserver.store;

/**
 * One user's conversation with a peer user or a group.
 *
 * <p>For a 1:1 conversation, {@code lastSeq} and the {@code last*} fields describe the newest message of the
 * owner's own stream. For a group conversation they are only a snapshot taken when the owner left
 * ({@code active == false}); while active, the group's head is authoritative. {@code joinedSeq}: a group
 * member sees the group's messages with seq greater than it. {@code readSeq}: the owner's read position.
 * Settings {@code top}/{@code disturb}: 1 off, 2 on. Times are Unix ms. {@code version}: when the owner's view last
 * changed. {@code peerReadSeq} (1:1): the peer has read the owner's messages up to this seq of the owner's stream.
 */
public record Conversation(long id, long appId, long ownerId, PeerType peerType, long peerId, int top, int disturb,
                           String remark, boolean active, long joinedSeq, long lastSeq, long readSeq,
                           long lastMessageId, long lastSenderId, String lastSenderName, String lastPreview,
                           long updateTime, long createdAt, long version, long peerReadSeq) {
}

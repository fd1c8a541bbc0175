package io.imserver.store;

/**
 * A group and the head of its message stream (read diffusion: one stream per group).
 * {@code lastSeq} is the seq of its newest message; the {@code last*} fields describe that message.
 * {@code muteAll}: only the owner and admins may send; {@code announcement} is empty if none.
 */
public record Group(long groupId, long appId, String name, String introduction, String avatar, long ownerId,
                    int type, String extra, long createdAt, long updatedAt, long lastSeq, long lastMessageId,
                    long lastSenderId, String lastSenderName, String lastPreview, long lastTime, boolean muteAll,
                    String announcement) {
}

package io.imserver.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Each user's conversations: settings, read positions, and (for 1:1) the head of the owner's stream. */
public interface ConversationRepository {
    /**
     * The owner's conversation with the peer, created if missing. A new group conversation starts at
     * {@code joinedSeq} (the member sees later messages only) with everything before it read.
     */
    Conversation getOrCreate(long appId, long ownerId, PeerType peerType, long peerId, long joinedSeq, long nowMs);

    Optional<Conversation> find(long conversationId);

    /** The owner's 1:1 conversation with the peer (created if missing): its id and stream head. */
    StreamHead directHead(long appId, long ownerId, long peerId, long nowMs);

    Optional<Conversation> find(long appId, long ownerId, PeerType peerType, long peerId);

    /** Moves a 1:1 conversation's head to {@code seq}; {@code markRead} also moves the owner's read position there. */
    void advanceHead(long conversationId, long seq, long messageId, long senderId, String senderName,
                     String preview, long timeMs, boolean markRead);

    /** read_seq = max(read_seq, seq). @return whether it moved */
    boolean advanceRead(long conversationId, long seq);

    /** 1:1: the peer has read the owner's messages up to {@code seq} (never moves back). @return whether it moved */
    boolean advancePeerRead(long conversationId, long seq);

    /** If the conversation's newest message is {@code messageId}, its preview becomes {@code preview}; the view changes. */
    void messageChanged(long conversationId, long messageId, String preview);

    /** Records that a group message at {@code seq} mentions the user. */
    void addMention(long appId, long userId, long groupId, long seq);

    void setTop(long conversationId, int top);

    void setDisturb(long conversationId, int disturb);

    /** Re-opens a group conversation for a (re)joining member: visible from {@code joinedSeq}, all before it read. */
    void activate(long conversationId, long joinedSeq, long nowMs);

    /** Freezes a group conversation when its owner leaves: keeps the group's head as it is now. */
    void deactivate(long conversationId, Group headNow, long nowMs);

    /** Owner id → seat (conversation id, joined seq) of every active member of the group. */
    Map<Long, GroupSeat> activeGroupConversations(long appId, long groupId);

    /** The owner's conversations, pinned first, then latest activity, then id, all descending. */
    List<ConversationView> list(long appId, long ownerId, int limit, int offset);

    /** The owner's conversations whose view changed after {@code sinceVersion}, oldest change first. */
    List<ConversationView> changedSince(long appId, long ownerId, long sinceVersion, int limit);

    Optional<ConversationView> view(long conversationId);

    /** Sum of unread counts over the owner's conversations that are not muted. */
    long totalUnread(long appId, long ownerId);
}

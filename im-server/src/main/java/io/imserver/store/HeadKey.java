package io.imserver.store;

import java.util.Comparator;

/**
 * A stream head a write is about to move: a user's 1:1 conversation with a peer, or a group. When several nodes
 * share the database, a batch locks the heads of all its writes first, in this one order on every node, so that
 * two nodes' batches never wait for each other in a cycle.
 *
 * @param peerType 1 a user's 1:1 conversation with {@code peerId}, 2 the group {@code peerId} ({@code ownerId} 0)
 */
public record HeadKey(long appId, int peerType, long ownerId, long peerId) implements Comparable<HeadKey> {
    private static final Comparator<HeadKey> ORDER = Comparator.comparingInt(HeadKey::peerType)
            .thenComparingLong(HeadKey::appId).thenComparingLong(HeadKey::ownerId).thenComparingLong(HeadKey::peerId);

    /** The head of {@code ownerId}'s 1:1 conversation with {@code peerId}. */
    public static HeadKey direct(long appId, long ownerId, long peerId) {
        return new HeadKey(appId, PeerType.USER.code(), ownerId, peerId);
    }

    /** The head of a group's stream. */
    public static HeadKey group(long appId, long groupId) {
        return new HeadKey(appId, PeerType.GROUP.code(), 0, groupId);
    }

    @Override
    public int compareTo(HeadKey other) {
        return ORDER.compare(this, other);
    }
}

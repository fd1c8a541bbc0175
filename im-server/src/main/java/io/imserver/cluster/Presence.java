package io.imserver.cluster;

/**
 * Who is online and how to reach their devices. The local implementation knows this node's connections; a cluster
 * implementation routes to the node that holds a device.
 */
public interface Presence {
    /** Makes {@code connection} the device's current one; an older connection of the same device is replaced. */
    void register(DeviceConnection connection);

    /** Forgets {@code connection} if it is still the device's current one. */
    void unregister(DeviceConnection connection);

    /** Queues {@code output} to every online device of the user but {@code exceptDeviceId} (0: none excepted). */
    void deliver(long appId, long userId, long exceptDeviceId, pb.Output output);

    /** Queues each push, in order: a fan-out to many users, which a cluster sends as one batch per node. */
    default void deliverAll(java.util.List<Push> pushes) {
        for (var p : pushes) {
            deliver(p.appId(), p.userId(), p.exceptDeviceId(), p.output());
        }
    }

    /** Whether the user has a signed-in device anywhere; in a cluster this may ask Redis (blocking, bounded). */
    boolean isOnline(long appId, long userId);

    /**
     * False only when the user certainly has no signed-in device: a cheap filter before building pushes. A node of a
     * cluster cannot tell without asking Redis, so it answers true for users not connected to it.
     */
    default boolean mayBeOnline(long appId, long userId) {
        return isOnline(appId, userId);
    }

    /**
     * False only when the user certainly has no signed-in device but {@code exceptDeviceId}: a sender's own other
     * devices are usually none, and then its copy is not built at all.
     */
    default boolean mayBeOnlineBesides(long appId, long userId, long exceptDeviceId) {
        return mayBeOnline(appId, userId);
    }

    /** Device ids of the user's signed-in connections, ascending. */
    java.util.List<Long> devices(long appId, long userId);

    /** Closes the device's connection as replaced ({@code kick} 410). @return whether it was connected */
    boolean kick(long appId, long userId, long deviceId);

    /** Closes every connection of the app as replaced. @return how many */
    int kickApp(long appId);

    /** Signed-in connections held. */
    int connectionCount();
}

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

    boolean isOnline(long appId, long userId);

    /** Device ids of the user's signed-in connections, ascending. */
    java.util.List<Long> devices(long appId, long userId);

    /** Closes the device's connection as replaced ({@code kick} 410). @return whether it was connected */
    boolean kick(long appId, long userId, long deviceId);

    /** Closes every connection of the app as replaced. @return how many */
    int kickApp(long appId);

    /** Signed-in connections held. */
    int connectionCount();
}

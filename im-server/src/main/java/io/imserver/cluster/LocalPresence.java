package io.imserver.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import pb.Output;

/** {@link Presence} of one node: its own connections, by app and user, then device. */
public final class LocalPresence implements Presence {
    private record UserKey(long appId, long userId) {
    }

    private final ConcurrentHashMap<UserKey, Map<Long, DeviceConnection>> users = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public void register(DeviceConnection connection) {
        var holder = new DeviceConnection[1];
        users.compute(new UserKey(connection.appId(), connection.userId()), (k, devices) -> {
            var map = devices == null ? new ConcurrentHashMap<Long, DeviceConnection>(2) : devices;
            holder[0] = map.put(connection.deviceId(), connection);
            return map;
        });
        if (holder[0] == null) {
            count.incrementAndGet();
        } else if (holder[0] != connection) {
            holder[0].replaced();
        }
    }

    @Override
    public void unregister(DeviceConnection connection) {
        users.computeIfPresent(new UserKey(connection.appId(), connection.userId()), (k, devices) -> {
            if (devices.remove(connection.deviceId(), connection)) {
                count.decrementAndGet();
            }
            return devices.isEmpty() ? null : devices;
        });
    }

    /** The device's connection held here, or null. */
    public DeviceConnection connection(long appId, long userId, long deviceId) {
        var devices = users.get(new UserKey(appId, userId));
        return devices == null ? null : devices.get(deviceId);
    }

    /** Forgets {@code connection} and tells it that it was replaced by a newer sign-in (elsewhere). */
    public void replace(DeviceConnection connection) {
        unregister(connection);
        connection.replaced();
    }

    @Override
    public void deliver(long appId, long userId, long exceptDeviceId, Output output) {
        var devices = users.get(new UserKey(appId, userId));
        if (devices == null) {
            return;
        }
        for (var connection : devices.values()) {
            if (connection.deviceId() != exceptDeviceId) {
                connection.push(output);
            }
        }
    }

    @Override
    public boolean isOnline(long appId, long userId) {
        return users.containsKey(new UserKey(appId, userId));
    }

    @Override
    public boolean mayBeOnlineBesides(long appId, long userId, long exceptDeviceId) {
        var devices = users.get(new UserKey(appId, userId));
        if (devices == null) {
            return false;
        }
        for (long deviceId : devices.keySet()) {
            if (deviceId != exceptDeviceId) {
                return true;
            }
        }
        return false;
    }

    @Override
    public java.util.List<Long> devices(long appId, long userId) {
        var devices = users.get(new UserKey(appId, userId));
        return devices == null ? java.util.List.of() : devices.keySet().stream().sorted().toList();
    }

    @Override
    public boolean kick(long appId, long userId, long deviceId) {
        var devices = users.get(new UserKey(appId, userId));
        var connection = devices == null ? null : devices.get(deviceId);
        if (connection == null) {
            return false;
        }
        replace(connection);
        return true;
    }

    @Override
    public int kickApp(long appId) {
        int kicked = 0;
        for (var e : users.entrySet()) {
            if (e.getKey().appId() == appId) {
                for (var connection : java.util.List.copyOf(e.getValue().values())) {
                    replace(connection);
                    kicked++;
                }
            }
        }
        return kicked;
    }

    @Override
    public int connectionCount() {
        return count.get();
    }
}

package io.imserver.cluster;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pb.Output;

/**
 * {@link Presence} of a cluster node: its own connections in a {@link LocalPresence}, and every node's devices in
 * Redis, one hash per user {@code NAME:dev:APP:USER} mapping a device to {@code NODE/FENCE}. A push goes to this
 * node's devices at once, and to each other live node holding a device of the user as one frame on that node's
 * channel; never to all nodes.
 *
 * <p>A sign-in takes a fence from a Redis counter in the same script that records it, so the newest sign-in of a
 * device always wins: the node that held the device before is sent a kick naming the older fence, and an
 * unregistering node removes the entry only while it still holds its own fence.
 *
 * @implNote Pushes to other nodes are fire-and-forget (Redis Pub/Sub): one lost with a node or a connection is
 *     found by the client's seq catch-up, since the message is stored before any push leaves.
 */
public final class ClusterPresence implements Presence {
    private static final Logger log = LoggerFactory.getLogger(ClusterPresence.class);
    /** A user's device hash outlives its last sign-in by this much, so that entries of crashed nodes go away. */
    static final Duration DEVICE_KEY_TTL = Duration.ofDays(1);

    private static final String REGISTER = """
            local fence = redis.call('INCR', KEYS[2])
            local old = redis.call('HGET', KEYS[1], ARGV[1])
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '/' .. fence)
            redis.call('EXPIRE', KEYS[1], ARGV[3])
            return {fence, old or ''}
            """;
    private static final String UNREGISTER = """
            if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
              redis.call('HDEL', KEYS[1], ARGV[1])
              return 1
            end
            return 0
            """;

    private record DeviceKey(long appId, long userId, long deviceId) {
    }

    private final LocalPresence local = new LocalPresence();
    private final ClusterMembership membership;
    private final RedisAsyncCommands<String, String> redis;
    /** The fence of each local connection, once Redis has recorded its sign-in. */
    private final ConcurrentHashMap<DeviceConnection, CompletableFuture<Long>> fences = new ConcurrentHashMap<>();
    /** Kicks that arrived before the kicked connection's own fence was known: device to the newest kicked fence. */
    private final ConcurrentHashMap<DeviceKey, Long> earlyKicks = new ConcurrentHashMap<>();
    private final Counter framesSent = Counter.builder("im.cluster.frames.sent")
            .description("push and kick frames sent to other nodes").register(Metrics.globalRegistry);
    private final Counter pushesSent = Counter.builder("im.cluster.pushes.sent")
            .description("pushes sent to other nodes").register(Metrics.globalRegistry);
    private final Counter pushesReceived = Counter.builder("im.cluster.pushes.received")
            .description("pushes received from other nodes").register(Metrics.globalRegistry);
    private final Counter kicksSent = Counter.builder("im.cluster.kicks.sent")
            .description("devices kicked on another node by a newer sign-in here").register(Metrics.globalRegistry);

    public ClusterPresence(ClusterMembership membership) {
        this.membership = membership;
        this.redis = membership.commands().async();
        membership.onNodeMessage(this::received);
        membership.subscribe(this::clusterEvent);
    }

    private String deviceHash(long appId, long userId) {
        return membership.name() + ":dev:" + appId + ":" + userId;
    }

    @Override
    public void register(DeviceConnection connection) {
        local.register(connection);
        var fence = new CompletableFuture<Long>();
        fences.put(connection, fence);
        String node = membership.nodeId();
        redis.eval(REGISTER, ScriptOutputType.MULTI,
                        new String[] {deviceHash(connection.appId(), connection.userId()), membership.name() + ":fence"},
                        Long.toString(connection.deviceId()), node, Long.toString(DEVICE_KEY_TTL.toSeconds()))
                .whenComplete((reply, error) -> {
                    if (error != null) {
                        log.warn("recording the sign-in of {}/{}/{} in Redis failed; other nodes do not reach it: {}",
                                connection.appId(), connection.userId(), connection.deviceId(), error.getMessage());
                        fence.complete(0L);
                        return;
                    }
                    @SuppressWarnings("unchecked")
                    var values = (List<Object>) reply;
                    long mine = (Long) values.get(0);
                    String previous = String.valueOf(values.get(1));
                    fence.complete(mine);
                    var key = new DeviceKey(connection.appId(), connection.userId(), connection.deviceId());
                    Long kicked = earlyKicks.remove(key);
                    if (kicked != null && kicked >= mine) {
                        local.replace(connection);
                    }
                    kickPreviousHolder(key, previous);
                });
    }

    /** A device's entry in its user's hash, {@code NODE/FENCE}; null for an empty or malformed entry. */
    private record Entry(String node, long fence) {
        static Entry parse(String entry) {
            int slash = entry == null ? -1 : entry.lastIndexOf('/');
            return slash <= 0 ? null : new Entry(entry.substring(0, slash), Long.parseLong(entry.substring(slash + 1)));
        }
    }

    /** Whether {@code entry} names a live node other than this one. */
    private boolean onOtherLiveNode(Entry entry, java.util.Set<String> live) {
        return entry != null && !entry.node().equals(membership.nodeId()) && live.contains(entry.node());
    }

    /** The device's previous entry was on another node: that node closes its connection. */
    private void kickPreviousHolder(DeviceKey key, String previous) {
        var entry = Entry.parse(previous);
        if (entry != null && !entry.node().equals(membership.nodeId())) {
            membership.sendToNode(entry.node(), NodeMessages.kick(
                    new NodeMessages.Kick(key.appId(), key.userId(), key.deviceId(), entry.fence())));
            framesSent.increment();
            kicksSent.increment();
        }
    }

    @Override
    public void unregister(DeviceConnection connection) {
        local.unregister(connection);
        var fence = fences.remove(connection);
        if (fence == null) {
            return;
        }
        fence.thenAccept(f -> {
            if (f > 0) {
                redis.eval(UNREGISTER, ScriptOutputType.INTEGER,
                        new String[] {deviceHash(connection.appId(), connection.userId())},
                        Long.toString(connection.deviceId()), membership.nodeId() + "/" + f);
            }
        });
    }

    @Override
    public void deliver(long appId, long userId, long exceptDeviceId, Output output) {
        local.deliver(appId, userId, exceptDeviceId, output);
        if (membership.othersAlive()) {
            route(List.of(new Push(appId, userId, exceptDeviceId, output)));
        }
    }

    @Override
    public void deliverAll(List<Push> pushes) {
        for (var p : pushes) {
            local.deliver(p.appId(), p.userId(), p.exceptDeviceId(), p.output());
        }
        if (!pushes.isEmpty() && membership.othersAlive()) {
            route(pushes);
        }
    }

    /**
     * Looks up the users' devices (pipelined, one request per user) and sends each other node that holds any of
     * them one frame with its pushes. Completions run in request order on Redis's I/O thread, so frames leave, and
     * reach each node, in the order of the calls.
     */
    private void route(List<Push> pushes) {
        var byUser = new LinkedHashMap<String, List<Push>>();
        for (var p : pushes) {
            byUser.computeIfAbsent(deviceHash(p.appId(), p.userId()), k -> new ArrayList<>(1)).add(p);
        }
        var lookups = new ArrayList<CompletableFuture<Map<String, String>>>(byUser.size());
        for (var key : byUser.keySet()) {
            lookups.add(redis.hgetall(key).toCompletableFuture());
        }
        CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
            if (error != null) {
                log.warn("routing {} pushes to other nodes failed (clients catch up by seq): {}", pushes.size(),
                        error.getMessage());
                return;
            }
            var byNode = new HashMap<String, List<Push>>();
            var live = membership.liveNodes();
            int i = 0;
            for (var userPushes : byUser.values()) {
                for (var node : remoteNodes(lookups.get(i++).join(), live)) {
                    byNode.computeIfAbsent(node, k -> new ArrayList<>()).addAll(userPushes);
                }
            }
            byNode.forEach((node, nodePushes) -> {
                membership.sendToNode(node, NodeMessages.pushes(nodePushes));
                framesSent.increment();
                pushesSent.increment(nodePushes.size());
            });
        });
    }

    /** The live nodes other than this one that hold a device in {@code devices} (device to NODE/FENCE). */
    private java.util.Set<String> remoteNodes(Map<String, String> devices, java.util.Set<String> live) {
        var nodes = new java.util.HashSet<String>(2);
        for (var value : devices.values()) {
            var entry = Entry.parse(value);
            if (onOtherLiveNode(entry, live)) {
                nodes.add(entry.node());
            }
        }
        return nodes;
    }

    private void received(byte[] frame) {
        try {
            switch (NodeMessages.kind(frame)) {
                case NodeMessages.PUSHES -> {
                    var pushes = NodeMessages.readPushes(frame);
                    for (var p : pushes) {
                        local.deliver(p.appId(), p.userId(), p.exceptDeviceId(), p.output());
                    }
                    pushesReceived.increment(pushes.size());
                }
                case NodeMessages.KICK -> kicked(NodeMessages.readKick(frame));
                default -> log.warn("unknown node message kind {} ({} bytes) ignored", frame[0], frame.length);
            }
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("a node message of {} bytes could not be read: {}", frame.length, e.getMessage());
        }
    }

    /** Another node recorded a newer sign-in of a device: its connection here, if that old, is replaced. */
    private void kicked(NodeMessages.Kick kick) {
        var connection = local.connection(kick.appId(), kick.userId(), kick.deviceId());
        if (connection == null) {
            return;
        }
        var fence = fences.get(connection);
        if (fence != null && fence.isDone()) {
            if (fence.join() <= kick.fence()) {
                local.replace(connection);
            }
        } else {
            earlyKicks.merge(new DeviceKey(kick.appId(), kick.userId(), kick.deviceId()), kick.fence(), Math::max);
        }
    }

    @Override
    public boolean isOnline(long appId, long userId) {
        if (local.isOnline(appId, userId)) {
            return true;
        }
        if (!membership.othersAlive()) {
            return false;
        }
        return !remoteNodes(deviceEntries(appId, userId), membership.liveNodes()).isEmpty();
    }

    @Override
    public boolean mayBeOnline(long appId, long userId) {
        return local.isOnline(appId, userId) || membership.othersAlive();
    }

    @Override
    public boolean mayBeOnlineBesides(long appId, long userId, long exceptDeviceId) {
        return local.mayBeOnlineBesides(appId, userId, exceptDeviceId) || membership.othersAlive();
    }

    /** The user's devices on every live node (this node's, and the others' from Redis). */
    @Override
    public List<Long> devices(long appId, long userId) {
        var all = new java.util.TreeSet<>(local.devices(appId, userId));
        if (membership.othersAlive()) {
            var live = membership.liveNodes();
            deviceEntries(appId, userId).forEach((device, entry) -> {
                if (onOtherLiveNode(Entry.parse(entry), live)) {
                    all.add(Long.parseLong(device));
                }
            });
        }
        return List.copyOf(all);
    }

    /**
     * Kicks the device wherever it is connected: here at once; on another node by a kick frame naming the fence
     * it holds there. @return whether it was connected to a live node
     */
    @Override
    public boolean kick(long appId, long userId, long deviceId) {
        if (local.kick(appId, userId, deviceId)) {
            return true;
        }
        if (!membership.othersAlive()) {
            return false;
        }
        String entry = deviceEntries(appId, userId).get(Long.toString(deviceId));
        if (!onOtherLiveNode(Entry.parse(entry), membership.liveNodes())) {
            return false;
        }
        kickPreviousHolder(new DeviceKey(appId, userId, deviceId), entry);
        return true;
    }

    /**
     * Closes the app's connections on every node: here at once, elsewhere when the event arrives.
     * @return how many were closed on this node
     */
    @Override
    public int kickApp(long appId) {
        int here = local.kickApp(appId);
        membership.publish(KICK_APP + appId);
        return here;
    }

    private static final String KICK_APP = "kick-app:";

    private void clusterEvent(String event) {
        if (event.startsWith(KICK_APP)) {
            local.kickApp(Long.parseLong(event.substring(KICK_APP.length())));
        }
    }

    /** The user's device hash: device id to NODE/FENCE (blocking, bounded). */
    private Map<String, String> deviceEntries(long appId, long userId) {
        try {
            return redis.hgetall(deviceHash(appId, userId)).get(2, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("devices of user " + userId + " could not be read from Redis: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading presence", e);
        }
    }

    @Override
    public int connectionCount() {
        return local.connectionCount();
    }
}

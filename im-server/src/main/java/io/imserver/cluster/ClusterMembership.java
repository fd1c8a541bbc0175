package io.imserver.cluster;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's membership of a cluster, kept in Redis: a slot (0-1023) leased under {@code NAME:slot:N}, a liveness
 * key {@code NAME:node:ID} that expires {@code ttl} after the last heartbeat (so a crashed node is gone within its
 * TTL), and the node's published version floor in the hash {@code NAME:floors}. Heartbeats run every
 * {@link #HEARTBEAT}; each one also reads which nodes are alive and the lowest floor among the others.
 *
 * <p>Node-to-node messages travel on Redis Pub/Sub: each node subscribes to its own channel {@code NAME:to:ID}
 * (pushes for its devices, kicks) and to {@code NAME:events} (cache invalidations every node needs).
 *
 * @implNote Pub/Sub over Redis Streams or NATS: a push is a hint, never the record (the database is), so a push
 *     lost with a connection needs no replay from the broker: the client's seq catch-up finds the message. Pub/Sub
 *     adds no disk write and no ack round trip per push, and Redis is already the presence store, so the cluster
 *     needs one outside service besides the database, not two.
 */
public final class ClusterMembership implements ClusterEvents, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterMembership.class);
    /** How often the node renews its lease and reads the others' floors. */
    public static final Duration HEARTBEAT = Duration.ofMillis(200);
    static final int SLOTS = 1024;

    /** Renews the node key and the slot lease if the slot is still this node's; publishes the floor. 1 or 0. */
    private static final String RENEW = """
            local slotOwner = redis.call('GET', KEYS[2])
            if slotOwner ~= ARGV[1] then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            redis.call('PEXPIRE', KEYS[2], ARGV[2])
            redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
            return 1
            """;
    /** Extends the slot lease if the slot is still this node's. 1 or 0. */
    private static final String KEEP_SLOT = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """;
    /** Deletes the slot key if it still names this node. */
    private static final String RELEASE_SLOT = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;
    /** The live nodes' ids and floors (id1, floor1, id2, ...); forgets the floors of nodes whose key expired. */
    private static final String LIVE_FLOORS = """
            local all = redis.call('HGETALL', KEYS[1])
            local out = {}
            for i = 1, #all, 2 do
              if redis.call('EXISTS', ARGV[1] .. all[i]) == 1 then
                table.insert(out, all[i]); table.insert(out, all[i + 1])
              else
                redis.call('HDEL', KEYS[1], all[i])
              end
            end
            return out
            """;

    private final RedisClient client;
    private final String name;
    private final String nodeId;
    private final Duration ttl;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisConnection<byte[], byte[]> binary;
    private final StatefulRedisPubSubConnection<byte[], byte[]> subscription;
    private final ScheduledExecutorService heartbeats;
    /** Keeps the slot leased between {@link #join} and {@link #start}; {@link #renew} takes over. */
    private final java.util.concurrent.ScheduledFuture<?> slotKeeper;
    private final List<Consumer<byte[]>> nodeListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> eventListeners = new CopyOnWriteArrayList<>();
    private final int slot;
    private volatile LongSupplier localFloor = () -> 0;
    private volatile Set<String> liveNodes = Set.of();
    private volatile long othersFloor = 0;
    private volatile long lastRenewedNanos;
    private volatile boolean slotHeld = true;
    private volatile boolean closed;

    private ClusterMembership(RedisClient client, String name, String nodeId, Duration ttl) {
        this.client = client;
        this.name = name;
        this.nodeId = nodeId;
        this.ttl = ttl;
        this.commands = client.connect();
        this.binary = client.connect(ByteArrayCodec.INSTANCE);
        this.subscription = client.connectPubSub(ByteArrayCodec.INSTANCE);
        this.slot = claimSlot();
        var own = bytes(channelOf(nodeId));
        var events = bytes(name + ":events");
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
                if (java.util.Arrays.equals(channel, own)) {
                    nodeListeners.forEach(l -> l.accept(message));
                } else if (java.util.Arrays.equals(channel, events)) {
                    var event = new String(message, StandardCharsets.UTF_8);
                    eventListeners.forEach(l -> l.accept(event));
                }
            }
        });
        subscription.sync().subscribe(own, events);
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("cluster-heartbeat").daemon(true).unstarted(r));
        // opening the database (migrations, a slow start) may take longer than the TTL: a slot left to expire
        // meanwhile was leased by the next node to start, and this one then never committed
        this.slotKeeper = heartbeats.scheduleWithFixedDelay(this::keepSlot, HEARTBEAT.toMillis(),
                HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void keepSlot() {
        try {
            Long kept = commands.sync().eval(KEEP_SLOT, ScriptOutputType.INTEGER,
                    new String[] {name + ":slot:" + slot}, nodeId, Long.toString(ttl.toMillis()));
            if (kept == null || kept != 1L) {
                log.error("node {} lost its slot {} before it started", nodeId, slot);
                slotHeld = false;
            }
        } catch (RuntimeException e) {
            log.warn("keeping the slot of node {} failed: {}", nodeId, e.getMessage());
        }
    }

    /**
     * Connects to Redis at {@code redisUrl} and leases a free slot for {@code nodeId}; {@link #start} then begins
     * the heartbeats that make the node visible to the others.
     *
     * @throws IllegalStateException when Redis cannot be reached or every slot is leased
     */
    public static ClusterMembership join(String redisUrl, String clusterName, String nodeId, Duration ttl) {
        var uri = io.lettuce.core.RedisURI.create(redisUrl);
        uri.setTimeout(Duration.ofSeconds(2));
        var client = RedisClient.create(uri);
        try {
            return new ClusterMembership(client, clusterName, nodeId, ttl);
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            throw new IllegalStateException("cannot join cluster '" + clusterName + "' at " + redisUrl + " as node "
                    + nodeId + ": " + e.getMessage(), e);
        }
    }

    private int claimSlot() {
        var sync = commands.sync();
        for (int i = 0; i < SLOTS; i++) {
            if ("OK".equals(sync.set(name + ":slot:" + i, nodeId, SetArgs.Builder.nx().px(ttl.toMillis())))) {
                return i;
            }
        }
        throw new IllegalStateException("all " + SLOTS + " node slots of the cluster are leased");
    }

    /** Publishes this node's version floor from now on, and starts the heartbeats. */
    public void start(LongSupplier floor) {
        this.localFloor = floor;
        slotKeeper.cancel(false);
        renew();
        heartbeats.scheduleWithFixedDelay(this::renew, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(),
                TimeUnit.MILLISECONDS);
        log.info("joined cluster '{}' as node {} (slot {}); live nodes: {}", name, nodeId, slot, liveNodes);
    }

    private void renew() {
        if (closed) {
            return;
        }
        try {
            var sync = commands.sync();
            Long renewed = sync.eval(RENEW, ScriptOutputType.INTEGER,
                    new String[] {nodeKey(nodeId), name + ":slot:" + slot, name + ":floors"},
                    nodeId, Long.toString(ttl.toMillis()), Long.toString(localFloor.getAsLong()));
            if (renewed == null || renewed != 1L) {
                if (slotHeld) {
                    log.error("node {} lost its slot {} (another node leased it after a missed heartbeat); it commits"
                            + " nothing from now on", nodeId, slot);
                }
                slotHeld = false;
                return;
            }
            lastRenewedNanos = System.nanoTime();
            List<String> floors = sync.eval(LIVE_FLOORS, ScriptOutputType.MULTI, new String[] {name + ":floors"},
                    name + ":node:");
            var live = new java.util.HashSet<String>();
            long lowest = Long.MAX_VALUE;
            for (int i = 0; i + 1 < floors.size(); i += 2) {
                live.add(floors.get(i));
                if (!floors.get(i).equals(nodeId)) {
                    lowest = Math.min(lowest, Long.parseLong(floors.get(i + 1)));
                }
            }
            liveNodes = Set.copyOf(live);
            othersFloor = lowest;
        } catch (RuntimeException e) {
            log.warn("cluster heartbeat of node {} failed: {}", nodeId, e.getMessage());
        }
    }

    public String nodeId() {
        return nodeId;
    }

    /** This node's slot: the low bits of every version it stamps. */
    public int slot() {
        return slot;
    }

    /** The nodes alive at the last heartbeat, this one included. */
    public Set<String> liveNodes() {
        return liveNodes;
    }

    /** Whether another node was alive at the last heartbeat. */
    public boolean othersAlive() {
        var live = liveNodes;
        return live.size() > 1 || (live.size() == 1 && !live.contains(nodeId));
    }

    /** The lowest version floor the other live nodes published ({@code Long.MAX_VALUE}: there are none). */
    public long othersFloor() {
        return othersFloor;
    }

    /**
     * Whether this node still holds its lease: renewed within half its TTL and its slot not taken over. A node that
     * cannot renew (cut off from Redis, paused) stops committing before the others could count it as gone.
     */
    public boolean leaseValid() {
        return slotHeld && !closed && System.nanoTime() - lastRenewedNanos < ttl.toNanos() / 2;
    }

    /** Whether Redis answers now. */
    public boolean redisHealthy() {
        try {
            return "PONG".equals(commands.sync().ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The string commands connection (presence registry). */
    StatefulRedisConnection<String, String> commands() {
        return commands;
    }

    String name() {
        return name;
    }

    /** Sends {@code message} to node {@code target}'s channel; a node that is gone never gets it. */
    void sendToNode(String target, byte[] message) {
        binary.async().publish(bytes(channelOf(target)), message);
    }

    /** Called with each message sent to this node, on Redis's I/O thread, in the order they were sent. */
    void onNodeMessage(Consumer<byte[]> listener) {
        nodeListeners.add(listener);
    }

    @Override
    public void publish(String event) {
        binary.async().publish(bytes(name + ":events"), bytes(event));
    }

    @Override
    public void subscribe(Consumer<String> listener) {
        eventListeners.add(listener);
    }

    private String channelOf(String node) {
        return name + ":to:" + node;
    }

    private String nodeKey(String node) {
        return name + ":node:" + node;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Leaves the cluster at once: the others stop routing here without waiting for the TTL. */
    @Override
    public void close() {
        closed = true;
        heartbeats.shutdownNow();
        try {
            var sync = commands.sync();
            sync.del(nodeKey(nodeId));
            sync.hdel(name + ":floors", nodeId);
            // the slot only while it is still this node's: after a missed renewal another node may hold it
            sync.eval(RELEASE_SLOT, ScriptOutputType.INTEGER, new String[] {name + ":slot:" + slot}, nodeId);
        } catch (RuntimeException e) {
            log.warn("leaving the cluster: {} (the node's keys expire within {})", e.getMessage(), ttl);
        }
        subscription.close();
        binary.close();
        commands.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}

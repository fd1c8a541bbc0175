package io.imserver.app;

import io.imserver.api.AdminHttpServer;
import io.imserver.api.AdminUseCases;
import io.imserver.api.grpc.GrpcServer;
import io.imserver.api.Health;
import io.imserver.cluster.ClusterEvents;
import io.imserver.cluster.ClusterMembership;
import io.imserver.cluster.ClusterPresence;
import io.imserver.cluster.LocalPresence;
import io.imserver.cluster.Presence;
import io.imserver.gateway.GatewayServer;
import io.imserver.messaging.AccountService;
import io.imserver.messaging.BusinessMessageService;
import io.imserver.messaging.ConversationService;
import io.imserver.messaging.GroupAdminService;
import io.imserver.messaging.GroupManagementService;
import io.imserver.messaging.HistoryService;
import io.imserver.messaging.SystemMessageService;
import io.imserver.messaging.webhook.OutboxDispatcher;
import io.imserver.messaging.webhook.Webhooks;
import io.imserver.messaging.DirectoryService;
import io.imserver.messaging.GroupService;
import io.imserver.messaging.MessageActionsService;
import io.imserver.messaging.PresenceService;
import io.imserver.messaging.ExamineService;
import io.imserver.messaging.FriendService;
import io.imserver.messaging.MomentService;
import io.imserver.messaging.SocialServices;
import io.imserver.messaging.SendMessageService;
import io.imserver.store.Store;
import io.imserver.store.jdbc.JdbcStore;
import io.imserver.store.jdbc.StoreOptions;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One server node, wired from its configuration: storage, use cases, WebSocket gateway and admin API. */
public final class ImServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ImServer.class);
    private static final int BLOCKING_THREADS = 16;
    private static final int BLOCKING_QUEUE = 20_000;

    private final ServerConfig config;
    private final Store store;
    private final ExecutorService blocking;
    private final ServerMetrics metrics;
    private final GatewayServer gateway;
    private final AdminHttpServer admin;
    private final GrpcServer grpc;
    private final Webhooks webhooks;
    private final String adminToken;
    private final DirectoryService directory;
    private final GroupService groups;
    private final ScheduledExecutorService housekeeping;
    /** Set once every listener is up; cleared when a drain begins. */
    private volatile boolean serving;
    /** This node's membership of a cluster, or null for a single node. */
    private final ClusterMembership cluster;

    private ImServer(ServerConfig config) throws InterruptedException {
        long started = System.nanoTime();
        this.config = config;
        this.cluster = config.clustered()
                ? ClusterMembership.join(config.redisUrl(), config.clusterName(), config.nodeId(), config.presenceTtl())
                : null;
        var opened = openStore(config, cluster);
        if (cluster != null) {
            cluster.start(opened::versionFloor);
        }
        var clock = Clock.systemUTC();
        // webhooks wrap store and presence: changes are recorded in the outbox in their own transaction
        this.webhooks = new Webhooks(opened, cluster == null ? new LocalPresence() : new ClusterPresence(cluster), clock,
                OutboxDispatcher.Settings.DEFAULTS.with(config.webhookTimeout(), config.webhookBackoffMax()));
        this.store = webhooks.store();
        Presence presence = webhooks.presence();
        this.blocking = blockingExecutor();
        ClusterEvents events = cluster == null ? ClusterEvents.NONE : cluster;
        this.directory = new DirectoryService(store, clock, events);
        this.groups = new GroupService(store, clock);
        var send = new SendMessageService(store, presence, clock, config.dedupWindow()).gatedBy(webhooks.gate());
        var conversations = new ConversationService(store, presence, clock);
        var system = new SystemMessageService(store, presence, clock, config.dedupWindow());
        var groupManagement = new GroupManagementService(store, system, clock);
        var useCases = new AdminUseCases(directory, groups, new GroupAdminService(store, groupManagement),
                new AccountService(store, presence, clock, events), conversations, new HistoryService(store),
                new BusinessMessageService(send, system), system, webhooks.settings(), directory.tokens());
        var services = new GatewayServer.Services(send, conversations, groups,
                directory, new MessageActionsService(store, presence, clock, config.recallWindow()),
                new PresenceService(store, presence), directory.tokens(), presence,
                new SocialServices(new FriendService(store, clock), new ExamineService(store, presence, groupManagement, clock),
                        new MomentService(store, clock)), groupManagement);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("housekeeping").daemon(true).unstarted(r));
        housekeeping.scheduleWithFixedDelay(() -> send.forgetExpiredClientIds().whenComplete((n, e) -> {
            if (e != null) {
                log.warn("could not forget expired client message ids: {}", e.getMessage());
            }
        }), 1, 60, TimeUnit.MINUTES);
        this.metrics = new ServerMetrics(presence);
        var token = AdminTokens.resolve(config);
        this.adminToken = token.token();
        this.admin = new AdminHttpServer(config.adminHost(), config.adminPort(), adminToken, useCases,
                this::health, metrics::scrape, blocking);
        this.grpc = new GrpcServer(config.adminHost(), config.grpcPort(), adminToken, useCases, blocking);
        webhooks.start();
        this.gateway = new GatewayServer(config.wsHost(), config.wsPort(), config.idleTimeout(),
                config.maxFrameBytes(), services, blocking, config.limits(), new AppRateSettings(directory, config.limits()),
                config.eventLoops());
        if (token.generated()) {
            // the token itself is never logged: logs are shipped and kept where secrets must not go
            log.info("generated an admin token; read it from {}", token.file().toAbsolutePath());
        }
        this.serving = true;
        log.info("started in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static Store openStore(ServerConfig config, ClusterMembership cluster) {
        if (cluster != null) {
            return JdbcStore.open(config.dbUrl(), StoreOptions.clusterNode(cluster.slot(), cluster::othersFloor,
                    cluster::leaseValid).withTimeout(config.dbTimeout()));
        }
        var options = StoreOptions.SINGLE_NODE.withTimeout(config.dbTimeout());
        return config.dbUrl() == null ? JdbcStore.embedded(config.dataDir(), options)
                : JdbcStore.open(config.dbUrl(), options);
    }

    /** What {@code /healthz} reports: the database, and Redis and the live nodes for a cluster node. */
    private Health health() {
        var checks = new java.util.LinkedHashMap<String, Object>();
        // the admin API answers before the gateway listens: a node is healthy once clients can connect to it
        checks.put("gateway", serving ? "up" : "starting");
        boolean database = store.healthy();
        checks.put("database", database ? "up" : "down");
        boolean ok = serving && database;
        if (cluster != null) {
            boolean redis = cluster.redisHealthy();
            ok &= redis && cluster.leaseValid();
            checks.put("redis", redis ? "up" : "down");
            checks.put("node", config.nodeId());
            checks.put("lease", cluster.leaseValid() ? "held" : "lost");
            checks.put("live_nodes", new java.util.TreeSet<>(cluster.liveNodes()));
        }
        return new Health(ok, checks);
    }

    /** Starts a node; the caller closes it. */
    public static ImServer start(ServerConfig config) throws InterruptedException {
        return new ImServer(config);
    }

    private static ExecutorService blockingExecutor() {
        var counter = new AtomicInteger();
        return new ThreadPoolExecutor(BLOCKING_THREADS, BLOCKING_THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(BLOCKING_QUEUE),
                r -> Thread.ofPlatform().name("blocking-" + counter.incrementAndGet()).daemon(true).unstarted(r),
                new ThreadPoolExecutor.AbortPolicy());
    }

    public int wsPort() {
        return gateway.port();
    }

    public int grpcPort() {
        return grpc.port();
    }

    public int adminPort() {
        return admin.port();
    }

    public String adminToken() {
        return adminToken;
    }

    public ServerConfig config() {
        return config;
    }

    DirectoryService directory() {
        return directory;
    }

    GroupService groups() {
        return groups;
    }

    /**
     * Drains and stops the node: no new connections or commands; the commands already read are stored and
     * answered; then every client is told to reconnect (close 1012, to another node of a cluster), the node leaves
     * the cluster and storage closes.
     */
    @Override
    public void close() {
        serving = false;
        housekeeping.shutdownNow();
        try {
            // half the shutdown time for the commands already read; the rest for closing connections and storage
            gateway.drain(config.shutdownTimeout().dividedBy(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gateway.closeConnections("server shutting down: reconnect");
        if (cluster != null) {
            cluster.close();
        }
        gateway.close();
        admin.close();
        grpc.close();
        webhooks.close();
        blocking.shutdown();
        try {
            blocking.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
        metrics.close();
        log.info("stopped");
    }
}

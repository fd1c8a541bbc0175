package io.imserver.gateway;

import io.imserver.auth.TokenService;
import io.imserver.cluster.Presence;
import io.imserver.messaging.ConversationService;
import io.imserver.messaging.DirectoryService;
import io.imserver.messaging.GroupManagementService;
import io.imserver.messaging.GroupService;
import io.imserver.messaging.MessageActionsService;
import io.imserver.messaging.PresenceService;
import io.imserver.messaging.SendMessageService;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The WebSocket gateway: {@code ws://host:port/ws} and the web app at {@code http://host:port/}. */
public final class GatewayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    /** Close status telling a client to reconnect, to another node: this one is shutting down. */
    public static final int CLOSE_SERVICE_RESTART = 1012;

    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ChannelGroup connections = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);
    private final Intake intake = new Intake();

    /** The use cases the gateway serves. */
    public record Services(SendMessageService send, ConversationService conversations, GroupService groups,
                           DirectoryService directory, MessageActionsService actions, PresenceService presenceQueries,
                           TokenService tokens, Presence presence, io.imserver.messaging.SocialServices social,
                           GroupManagementService groupManagement) {
    }

    /**
     * @param limits rates, sign-in deadline, connections per address and violations
     * @param appRates the rates of each app's connections (its own settings or {@code limits}')
     * @param eventLoops event loop threads
     * @implNote One event loop per core, not Netty's default of two: no handler blocks (blocking commands run on
     *     {@code blocking}), and on two cores the four default loops made a group fan-out to 1,000 members reach
     *     its last member later (p99 56-59 ms against 27-36 ms with two) and 1:1 messages at 10,000/s too
     *     (p99 27-44 ms against 21-29 ms), see docs/BENCHMARKS.md.
     */
    public GatewayServer(String host, int port, Duration idleTimeout, int maxFrameBytes, Services services,
                         Executor blocking, GatewayLimits limits, AppRateLimits appRates, int eventLoops)
            throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(eventLoops,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        var commands = CommandRegistry.of(services);
        var bootstrap = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new GatewayInitializer(idleTimeout, maxFrameBytes, services.tokens(),
                        services.presence(), commands, blocking, connections, intake, limits, appRates));
        this.serverChannel = bootstrap.bind(host, port).sync().channel();
        log.info("WebSocket gateway on ws://{}:{}{} ({} transport)", host, port(), GatewayInitializer.WEBSOCKET_PATH,
                epoll ? "epoll" : "nio");
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Stops accepting connections and reading frames, then waits (up to {@code wait}) until every command already
     * read is answered: a send that was read is stored and acknowledged before the node goes.
     *
     * @return whether every command read was answered in time
     */
    public boolean drain(Duration wait) throws InterruptedException {
        intake.close();
        serverChannel.close().syncUninterruptibly();
        connections.forEach(c -> c.config().setAutoRead(false));
        // each event loop runs a task queued now only after the reads it was doing: their commands are counted
        for (var loop : group) {
            loop.submit(() -> { }).syncUninterruptibly();
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (intake.unanswered() > 0) {
            if (System.nanoTime() > deadline) {
                log.warn("{} commands still unanswered after {}", intake.unanswered(), wait);
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Tells every connection to reconnect (close {@value #CLOSE_SERVICE_RESTART}) and waits a little for it. */
    public void closeConnections(String reason) {
        int n = connections.size();
        connections.writeAndFlush(new CloseWebSocketFrame(CLOSE_SERVICE_RESTART, reason))
                .awaitUninterruptibly(2, java.util.concurrent.TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(2, java.util.concurrent.TimeUnit.SECONDS);
        log.info("closed {} connections: {}", n, reason);
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}

package io.imserver.gateway;

import io.imserver.auth.TokenService;
import io.imserver.cluster.Presence;
import io.imserver.messaging.ConversationService;
import io.imserver.messaging.DirectoryService;
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
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The WebSocket gateway: {@code ws://host:port/ws} and the test page at {@code http://host:port/}. */
public final class GatewayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final EventLoopGroup group;
    private final Channel serverChannel;

    /** The use cases the gateway serves. */
    public record Services(SendMessageService send, ConversationService conversations, GroupService groups,
                           DirectoryService directory, MessageActionsService actions, PresenceService presenceQueries,
                           TokenService tokens, Presence presence) {
    }

    public GatewayServer(String host, int port, Duration idleTimeout, int maxFrameBytes, Services services,
                         Executor blocking) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(0, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        var commands = CommandRegistry.of(services);
        var bootstrap = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new GatewayInitializer(idleTimeout, maxFrameBytes, services.tokens(),
                        services.presence(), commands, blocking));
        this.serverChannel = bootstrap.bind(host, port).sync().channel();
        log.info("WebSocket gateway on ws://{}:{}{} ({} transport)", host, port(), GatewayInitializer.WEBSOCKET_PATH,
                epoll ? "epoll" : "nio");
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}

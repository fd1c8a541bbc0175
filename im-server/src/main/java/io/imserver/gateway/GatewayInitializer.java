package io.imserver.gateway;

import io.imserver.auth.TokenService;
import io.imserver.cluster.Presence;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The gateway pipeline, in order (after a check that the remote address holds fewer than its maximum of
 * connections): lingering close, flush consolidation, HTTP codec, test page, WebSocket handshake and framing on {@code /ws} (frames over
 * the limit close the connection with 1009), idle timeout, protobuf codec, sign-in gate, command dispatch.
 */
final class GatewayInitializer extends ChannelInitializer<SocketChannel> {
    static final String WEBSOCKET_PATH = "/ws";

    private final TestPageHandler testPage = new TestPageHandler(WEBSOCKET_PATH);
    private final WebSocketServerProtocolConfig webSocketConfig;
    private final Duration idleTimeout;
    private final int maxFrameBytes;
    private final TokenService tokens;
    private final Presence presence;
    private final CommandRegistry commands;
    private final Executor blocking;

    /** Every open connection, for a drain at shutdown. */
    private final io.netty.channel.group.ChannelGroup connections;

    private final Intake intake;
    private final GatewayLimits limits;
    private final AppRateLimits appRates;
    private final UserBuckets userBuckets = new UserBuckets();
    private final AddressConnections addresses;

    GatewayInitializer(Duration idleTimeout, int maxFrameBytes, TokenService tokens, Presence presence,
                       CommandRegistry commands, Executor blocking, io.netty.channel.group.ChannelGroup connections,
                       Intake intake, GatewayLimits limits, AppRateLimits appRates) {
        this.limits = limits;
        this.appRates = appRates;
        this.addresses = new AddressConnections(limits.maxConnectionsPerAddress());
        this.connections = connections;
        this.intake = intake;
        this.idleTimeout = idleTimeout;
        this.maxFrameBytes = maxFrameBytes;
        this.tokens = tokens;
        this.presence = presence;
        this.commands = commands;
        this.blocking = blocking;
        this.webSocketConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(WEBSOCKET_PATH)
                .maxFramePayloadLength(maxFrameBytes)
                .checkStartsWith(false)
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .build();
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        var remote = ch.remoteAddress();
        if (remote == null) {
            ch.close(); // gone between accept and here
            return;
        }
        var address = remote.getAddress();
        if (!addresses.tryOpen(address)) {
            // closed before a byte is read: a flood costs an accept and a close
            ch.close();
            return;
        }
        ch.closeFuture().addListener(f -> addresses.closed(address));
        connections.add(ch);
        var guard = new ConnectionGuard(limits, userBuckets);
        ch.pipeline()
                .addLast("linger", new LingeringCloseHandler())
                .addLast("flush", new FlushConsolidationHandler(64, true))
                .addLast("http", new HttpServerCodec())
                .addLast("aggregate", new HttpObjectAggregator(8192))
                .addLast("page", testPage)
                .addLast("websocket", new WebSocketServerProtocolHandler(webSocketConfig))
                .addLast("fragments", new WebSocketFrameAggregator(maxFrameBytes))
                .addLast("idle", new IdleStateHandler(idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                .addLast("idle-close", new IdleCloseHandler())
                .addLast("protobuf", new ProtobufFrameCodec(guard))
                .addLast("sign-in", new SignInHandler(tokens, presence, blocking, appRates, guard))
                .addLast("dispatch", new CommandDispatchHandler(commands, blocking, intake, guard));
    }
}

package io.imserver.gateway;

import io.imserver.auth.Identity;
import io.imserver.cluster.DeviceConnection;
import io.imserver.protocol.CommandTypes;
import io.imserver.protocol.ErrorCode;
import io.imserver.protocol.Outputs;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.util.AttributeKey;
import pb.Output;

/** A signed-in WebSocket connection: its identity and the channel its pushes go to. */
final class ChannelSession implements DeviceConnection {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ChannelSession.class);
    static final AttributeKey<ChannelSession> KEY = AttributeKey.valueOf(ChannelSession.class, "session");
    /** Close status sent to a connection replaced by a newer sign-in of the same device. */
    static final int CLOSE_REPLACED = 4001;
    /** Close status for a device that does not read its pushes: it catches up by seq when it comes back. */
    static final int CLOSE_TOO_SLOW = 4002;
    /** Pushes queued for one connection beyond this many bytes close it instead of growing without bound. */
    static final long MAX_PENDING_BYTES = 8L * 1024 * 1024;

    private final Channel channel;
    private final Identity identity;
    /** Where a push is written as a whole frame (the WebSocket frame encoder's context), or null: the tail. */
    private final ChannelHandlerContext frames;

    ChannelSession(Channel channel, Identity identity) {
        this.channel = channel;
        this.identity = identity;
        var pipeline = channel.pipeline();
        this.frames = pipeline.get(WebSocketServerExtensionHandler.class) == null
                ? pipeline.context(WebSocketFrameEncoder.class) : null;
    }

    Identity identity() {
        return identity;
    }

    @Override
    public long appId() {
        return identity.appId();
    }

    @Override
    public long userId() {
        return identity.userId();
    }

    @Override
    public long deviceId() {
        return identity.deviceId();
    }

    /**
     * Queues the push. A connection whose unsent pushes pass {@link #MAX_PENDING_BYTES} is closed with
     * {@link #CLOSE_TOO_SLOW}: the messages are stored, so the device loses nothing and catches up by seq.
     *
     * @implNote The push is encoded as a whole frame on the connection's event loop and written from the frame
     *     encoder's context: only the flush consolidation and the close handler below it see it. A group message
     *     is one push per member, and walking the full pipeline (protobuf codec, WebSocket encoder, idle and
     *     command handlers) for each cost about a sixth of the server's CPU in a fan-out to 1,000 members.
     */
    @Override
    public void push(Output output) {
        if (!channel.isWritable() && pendingBytes() > MAX_PENDING_BYTES) {
            channel.eventLoop().execute(this::closeTooSlow);
            return;
        }
        if (frames == null) {
            channel.writeAndFlush(output, channel.voidPromise());
        } else if (channel.eventLoop().inEventLoop()) {
            writeFrame(output);
        } else {
            try {
                channel.eventLoop().execute(() -> writeFrame(output));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the event loops are shut down (the server is stopping): the connection is closed with them, and
                // the device catches up by seq when it reconnects
                log.debug("push to {} dropped: the event loops are shut down", identity);
            }
        }
    }

    private void writeFrame(Output output) {
        if (frames.isRemoved()) {
            return; // the connection is closing: its pipeline is being torn down
        }
        try {
            frames.writeAndFlush(ProtobufFrameCodec.wholeFrame(channel.alloc(), output), channel.voidPromise());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("encoding a push of " + output.getSerializedSize() + " bytes", e);
        }
    }

    private long pendingBytes() {
        var buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    private void closeTooSlow() {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(CLOSE_TOO_SLOW, "too slow: catch up by sync"))
                    .addListener(ChannelFutureListener.CLOSE);
            channel.close();
        }
    }

    @Override
    public void replaced() {
        channel.write(Outputs.error(CommandTypes.PUSH_KICK, ErrorCode.REPLACED,
                "signed in again on another connection"));
        channel.writeAndFlush(new CloseWebSocketFrame(CLOSE_REPLACED, "replaced by a newer sign-in"))
                .addListener(ChannelFutureListener.CLOSE);
    }
}

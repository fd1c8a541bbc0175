package io.imserver.gateway;

import io.imserver.auth.Identity;
import io.imserver.cluster.DeviceConnection;
import io.imserver.protocol.CommandTypes;
import io.imserver.protocol.ErrorCode;
import io.imserver.protocol.Outputs;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.AttributeKey;
import pb.Output;

/** A signed-in WebSocket connection: its identity and the channel its pushes go to. */
final class ChannelSession implements DeviceConnection {
    static final AttributeKey<ChannelSession> KEY = AttributeKey.valueOf(ChannelSession.class, "session");
    /** Close status sent to a connection replaced by a newer sign-in of the same device. */
    static final int CLOSE_REPLACED = 4001;
    /** Close status for a device that does not read its pushes: it catches up by seq when it comes back. */
    static final int CLOSE_TOO_SLOW = 4002;
    /** Pushes queued for one connection beyond this many bytes close it instead of growing without bound. */
    static final long MAX_PENDING_BYTES = 8L * 1024 * 1024;

    private final Channel channel;
    private final Identity identity;

    ChannelSession(Channel channel, Identity identity) {
        this.channel = channel;
        this.identity = identity;
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
     */
    @Override
    public void push(Output output) {
        if (!channel.isWritable() && pendingBytes() > MAX_PENDING_BYTES) {
            channel.eventLoop().execute(this::closeTooSlow);
            return;
        }
        channel.writeAndFlush(output, channel.voidPromise());
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

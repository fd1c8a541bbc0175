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

    @Override
    public void push(Output output) {
        channel.writeAndFlush(output, channel.voidPromise());
    }

    @Override
    public void replaced() {
        channel.write(Outputs.error(CommandTypes.PUSH_KICK, ErrorCode.REPLACED,
                "signed in again on another connection"));
        channel.writeAndFlush(new CloseWebSocketFrame(CLOSE_REPLACED, "replaced by a newer sign-in"))
                .addListener(ChannelFutureListener.CLOSE);
    }
}

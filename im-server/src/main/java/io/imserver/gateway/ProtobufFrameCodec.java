package io.imserver.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import io.imserver.protocol.CommandTypes;
import io.imserver.protocol.ErrorCode;
import io.imserver.protocol.Outputs;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.util.List;
import pb.Input;
import pb.Output;

/**
 * One binary WebSocket frame holds one protobuf message: {@code Input} in, {@code Output} out. A frame that is not
 * a decodable {@code Input} (or is not binary) is answered with an {@code Output} of type {@code error} and code
 * {@link ErrorCode#MALFORMED_FRAME} and counted as a violation; the connection stays open while violations are
 * few.
 */
final class ProtobufFrameCodec extends MessageToMessageCodec<WebSocketFrame, Output> {
    private final ConnectionGuard guard;

    ProtobufFrameCodec(ConnectionGuard guard) {
        this.guard = guard;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Output output, List<Object> out) {
        out.add(frame(output));
    }

    private static BinaryWebSocketFrame frame(Output output) {
        return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(output.toByteArray()));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (!(frame instanceof BinaryWebSocketFrame)) {
            // written as a frame: from this context an Output would bypass this codec's own encoder
            ctx.writeAndFlush(frame(Outputs.error(CommandTypes.ERROR, ErrorCode.MALFORMED_FRAME,
                    "expected a binary frame holding a protobuf Input, got " + frame.getClass().getSimpleName())));
            guard.violation(ctx, "malformed frame");
            return;
        }
        try (var in = new ByteBufInputStream(frame.content())) {
            out.add(Input.parseFrom(in));
        } catch (InvalidProtocolBufferException e) {
            ctx.writeAndFlush(frame(Outputs.error(CommandTypes.ERROR, ErrorCode.MALFORMED_FRAME,
                    "frame is not a protobuf Input: " + e.getMessage())));
            guard.violation(ctx, "malformed frame");
        } catch (IOException e) {
            ctx.fireExceptionCaught(e);
        }
    }
}

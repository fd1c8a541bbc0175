package io.imserver.gateway;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.imserver.protocol.CommandTypes;
import io.imserver.protocol.ErrorCode;
import io.imserver.protocol.Outputs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
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

    /**
     * @implNote The output is written straight into a pooled buffer of its exact size: no intermediate byte array
     *     per reply and push.
     */
    @Override
    protected void encode(ChannelHandlerContext ctx, Output output, List<Object> out) throws IOException {
        int size = output.getSerializedSize();
        var buffer = ctx.alloc().buffer(size, size);
        writeOutput(buffer, output, size);
        out.add(new BinaryWebSocketFrame(buffer));
    }

    /**
     * The output as one whole WebSocket frame, header included (RFC 6455 section 5.2: final, binary, unmasked as a
     * server's frames are, the shortest length form), in one pooled buffer: written from the frame encoder's
     * context it passes no handler above it. Only for pipelines without a WebSocket extension (compression).
     */
    static ByteBuf wholeFrame(ByteBufAllocator alloc, Output output) throws IOException {
        int size = output.getSerializedSize();
        int header = size < 126 ? 2 : size <= 0xFFFF ? 4 : 10;
        var buffer = alloc.buffer(header + size, header + size);
        buffer.writeByte(0x82); // FIN, opcode 2 (binary)
        if (size < 126) {
            buffer.writeByte(size);
        } else if (size <= 0xFFFF) {
            buffer.writeByte(126).writeShort(size);
        } else {
            buffer.writeByte(127).writeLong(size);
        }
        writeOutput(buffer, output, size);
        return buffer;
    }

    /** Writes {@code size} bytes of the output at the buffer's writer index; releases the buffer if that fails. */
    private static void writeOutput(ByteBuf buffer, Output output, int size) throws IOException {
        try {
            var coded = CodedOutputStream.newInstance(buffer.nioBuffer(buffer.writerIndex(), size));
            output.writeTo(coded);
            coded.checkNoSpaceLeft();
            buffer.writerIndex(buffer.writerIndex() + size);
        } catch (IOException | RuntimeException e) {
            buffer.release();
            throw e;
        }
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
        try {
            // parsed from the frame's memory: a stream would allocate a 4 KiB buffer per frame (a quarter of the
            // server's allocations at 10,000 msgs/s); bytes fields are copied out, so the frame may be released
            out.add(Input.parseFrom(frame.content().nioBuffer()));
        } catch (InvalidProtocolBufferException e) {
            ctx.writeAndFlush(frame(Outputs.error(CommandTypes.ERROR, ErrorCode.MALFORMED_FRAME,
                    "frame is not a protobuf Input: " + e.getMessage())));
            guard.violation(ctx, "malformed frame");
        }
    }
}

package io.imserver.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;
import pb.Input;
import pb.Output;

class ProtobufFrameCodecTest {

    /** A codec whose connection never closes for violations: these tests look at the codec alone. */
    static ProtobufFrameCodec codec() {
        return new ProtobufFrameCodec(new ConnectionGuard(
                GatewayLimits.DEFAULTS.withViolations(Integer.MAX_VALUE, java.time.Duration.ofSeconds(1)),
                new UserBuckets()));
    }

    @Test
    void binaryFrame_decodesToInput() {
        var channel = new EmbeddedChannel(ProtobufFrameCodecTest.codec());
        var input = Input.newBuilder().setType("heartbeat").build();
        assertThat(channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(input.toByteArray())))).isTrue();
        assertThat((Input) channel.readInbound()).isEqualTo(input);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void output_encodesToOneBinaryFrame() throws Exception {
        var channel = new EmbeddedChannel(ProtobufFrameCodecTest.codec());
        var output = Output.newBuilder().setType("sign").setCode(200).setMessage("ok").build();
        channel.writeOutbound(output);
        BinaryWebSocketFrame frame = channel.readOutbound();
        assertThat(Output.parseFrom(bytes(frame.content()))).isEqualTo(output);
        frame.release();
    }

    /** A push written as a whole frame reads back, through a client's frame decoder, as the same Output. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 100, 125, 126, 1_000, 65_535, 65_536, 200_000})
    void wholeFrame_isOneUnmaskedBinaryFrame_thatAClientDecodes(int textLength) throws Exception {
        var output = Output.newBuilder().setType("message").setCode(200).setMessage("x".repeat(textLength)).build();
        var client = new EmbeddedChannel(new io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder(
                io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig.newBuilder()
                        .expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));
        var frame = ProtobufFrameCodec.wholeFrame(io.netty.buffer.ByteBufAllocator.DEFAULT, output);
        int size = output.getSerializedSize();
        assertThat(frame.readableBytes()).isEqualTo(size + (size < 126 ? 2 : size <= 0xFFFF ? 4 : 10));
        client.writeInbound(frame);
        BinaryWebSocketFrame decoded = client.readInbound();
        assertThat(decoded.isFinalFragment()).isTrue();
        assertThat(Output.parseFrom(bytes(decoded.content()))).isEqualTo(output);
        decoded.release();
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    @Test
    void garbage_isAnsweredWithAnErrorOutput_andTheChannelStaysOpen() throws Exception {
        var channel = new EmbeddedChannel(ProtobufFrameCodecTest.codec());
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, 0x01, 0x02})));
        assertThat((Object) channel.readInbound()).isNull();
        BinaryWebSocketFrame reply = channel.readOutbound();
        var output = Output.parseFrom(bytes(reply.content()));
        reply.release();
        assertThat(output.getType()).isEqualTo("error");
        assertThat(output.getCode()).isEqualTo(422);
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void textFrame_isAnsweredWithAnErrorOutput() throws Exception {
        var channel = new EmbeddedChannel(ProtobufFrameCodecTest.codec());
        channel.writeInbound(new TextWebSocketFrame("{\"type\":\"sign\"}"));
        BinaryWebSocketFrame reply = channel.readOutbound();
        var output = Output.parseFrom(bytes(reply.content()));
        reply.release();
        assertThat(output.getCode()).isEqualTo(422);
        assertThat(output.getMessage()).contains("binary");
    }

    private static byte[] bytes(ByteBuf buf) {
        var out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }
}

package io.imserver.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.imserver.protocol.CommandTypes;
import io.imserver.protocol.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import pb.Auth;
import pb.Input;
import pb.MessageRead;
import pb.Output;
import pb.SendMessage;
import pb.SyncReq;

/**
 * Fuzzes the gateway's frame decoding: whatever bytes a client puts in a binary frame, the codec either passes a
 * decodable {@code Input} on unchanged or answers with one {@code Output{type:"error", code:422}}; it never throws out
 * of the pipeline, never hangs, never closes the channel and never leaks a stack trace into the reply. jqwik prints
 * the seed of every property; a failing seed is stored under target/jqwik-database and tried first on the next run
 * (or pin it with {@code @Property(seed = "...")}).
 */
class ProtobufFrameCodecFuzzTest {
    /** A decode is a few microseconds; a second means it is spinning on the input. */
    private static final Duration HANG = Duration.ofSeconds(2);
    /** Java stack frames, "Caused by", or an exception/error class name: internals a client must not see. */
    static final Pattern STACK_TRACE = Pattern.compile(
            "\\bat [\\w$.]+\\(|Caused by|\\b[\\w$.]*(Exception|Error)\\b|\\bjava\\.|\\bio\\.netty\\.|\\bcom\\.google\\.");

    @Property(tries = 2000, shrinking = ShrinkingMode.BOUNDED)
    void randomBytes_areDecodedOrAnsweredWith422_andNeverBreakThePipeline(
            @ForAll("randomBytes") byte[] bytes, @ForAll("readerOffset") int offset) {
        assertDecodedOrRefused(bytes, offset);
    }

    @Property(tries = 3000, shrinking = ShrinkingMode.BOUNDED)
    void mutatedValidInputs_areDecodedOrAnsweredWith422_andNeverBreakThePipeline(
            @ForAll("mutatedInputs") byte[] bytes, @ForAll("readerOffset") int offset) {
        assertDecodedOrRefused(bytes, offset);
    }

    @Property(tries = 500, shrinking = ShrinkingMode.BOUNDED)
    void manyFramesOnOneChannel_eachGetTheirOwnOutcome_andTheChannelStaysOpen(
            @ForAll("framesOnOneChannel") List<byte[]> frames) {
        assertTimeoutPreemptively(HANG, () -> {
            var channel = new EmbeddedChannel(ProtobufFrameCodecTest.codec());
            for (var bytes : frames) {
                channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
                expectOutcome(channel, bytes);
            }
            assertThat(channel.isActive()).isTrue();
            assertThat(channel.finishAndReleaseAll()).isFalse();
        });
    }

    /** Feeds one frame to a fresh codec (its payload starting {@code offset} bytes into the buffer) and checks it. */
    private static void assertDecodedOrRefused(byte[] bytes, int offset) {
        assertTimeoutPreemptively(HANG, () -> {
            var channel = new EmbeddedChannel(ProtobufFrameCodecTest.codec());
            // the payload does not start at index 0: the codec must read from the reader index, not the array
            var buf = Unpooled.buffer(offset + bytes.length).writeZero(offset).writeBytes(bytes).skipBytes(offset);
            channel.writeInbound(new BinaryWebSocketFrame(buf));
            expectOutcome(channel, bytes);
            assertThat(channel.isActive()).as("the codec never closes the connection").isTrue();
            channel.checkException();
            assertThat(channel.finishAndReleaseAll()).isFalse();
        });
    }

    /** The oracle: protobuf itself says whether the bytes are an {@code Input}. */
    private static void expectOutcome(EmbeddedChannel channel, byte[] bytes) throws Exception {
        Input expected;
        try {
            expected = Input.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            expected = null;
        }
        if (expected != null) {
            assertThat(channel.<Object>readInbound()).isEqualTo(expected);
            assertThat(channel.<Object>readOutbound()).as("no reply to a decodable frame").isNull();
            return;
        }
        assertThat(channel.<Object>readInbound()).as("nothing passed on from an undecodable frame").isNull();
        BinaryWebSocketFrame reply = channel.readOutbound();
        assertThat(reply).as("an undecodable frame is answered").isNotNull();
        Output output;
        try {
            output = Output.parseFrom(bytes(reply.content()));
        } finally {
            reply.release();
        }
        assertThat(output.getType()).isEqualTo(CommandTypes.ERROR);
        assertThat(output.getCode()).isEqualTo(ErrorCode.MALFORMED_FRAME.code());
        assertThat(output.getMessage()).isNotBlank().doesNotContainPattern(STACK_TRACE);
        assertThat(channel.<Object>readOutbound()).as("exactly one reply").isNull();
    }

    @Provide
    Arbitrary<Integer> readerOffset() {
        return Arbitraries.integers().between(0, 16);
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
    }

    @Provide
    Arbitrary<List<byte[]>> framesOnOneChannel() {
        return Arbitraries.oneOf(randomBytes(), mutatedInputs()).list().ofMinSize(2).ofMaxSize(20);
    }

    /** Valid frames of several commands, each bent by one to four mutations. */
    @Provide
    Arbitrary<byte[]> mutatedInputs() {
        var mutations = mutation().list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(Arbitraries.of(validInputs()), mutations).as((input, ms) -> {
            var bytes = input.toByteArray();
            for (var m : ms) {
                bytes = m.apply(bytes);
            }
            return bytes;
        });
    }

    private static List<Input> validInputs() {
        var auth = Auth.newBuilder().setAppId(1).setUserId(7).setDeviceId(1).setToken("eyJ.a.b").build();
        return List.of(
                Input.newBuilder().setType(CommandTypes.SIGN).addAuth(auth).build(),
                Input.newBuilder().setType(CommandTypes.HEARTBEAT).build(),
                Input.newBuilder().setType(CommandTypes.SEND_MESSAGE).setData(SendMessage.newBuilder()
                        .setReceiverType(1).setReceiverId(8).setClientMsgId("c-1").addToUserIds(9).build()
                        .toByteString()).addAuth(auth).build(),
                Input.newBuilder().setType(CommandTypes.SYNC).setData(SyncReq.newBuilder().setConversationId(3)
                        .setAfterSeq(10).setLimit(50).build().toByteString()).build(),
                Input.newBuilder().setType(CommandTypes.MESSAGE_READ)
                        .setData(MessageRead.newBuilder().setMessageId(123456789L).build().toByteString()).build(),
                Input.newBuilder().setType("ünïcödé-type").setData(ByteString.copyFromUtf8("x".repeat(200))).build());
    }

    /** A named byte-level mutation; the name is what jqwik prints for a falsifying sample. */
    record Mutation(String name, UnaryOperator<byte[]> op) {
        byte[] apply(byte[] bytes) {
            return op.apply(bytes);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Arbitrary<Mutation> mutation() {
        var at = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        var bitFlip = Combinators.combine(at, Arbitraries.integers().between(0, 7)).as((pos, bit) ->
                new Mutation("flip bit " + bit + " at " + pos, b -> {
                    if (b.length == 0) {
                        return b;
                    }
                    var c = b.clone();
                    c[pos % c.length] ^= (byte) (1 << bit);
                    return c;
                }));
        var truncate = at.map(pos -> new Mutation("truncate at " + pos,
                b -> Arrays.copyOf(b, b.length == 0 ? 0 : pos % b.length)));
        var duplicate = Combinators.combine(at, at).as((from, len) -> new Mutation("duplicate " + from + "+" + len, b -> {
            if (b.length == 0) {
                return b;
            }
            int start = from % b.length;
            int n = 1 + len % (b.length - start);
            return insert(b, start + n, Arrays.copyOfRange(b, start, start + n));
        }));
        // a tag with any field number and wire type (valid, reserved or out of range), then a payload for it
        var randomField = Combinators.combine(at, Arbitraries.longs().between(0, 1L << 35), Arbitraries.integers()
                .between(0, 7), Arbitraries.bytes().array(byte[].class).ofMaxSize(12)).as((pos, field, wire, payload) ->
                new Mutation("field " + field + " wire " + wire + " at " + pos,
                        b -> insert(b, pos % (b.length + 1), concat(varint((field << 3) | wire), payload))));
        // an over-long varint, or a length prefix far beyond the frame
        var hugeVarint = Combinators.combine(at, Arbitraries.of(
                new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1},
                new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, 1},
                varint(Long.MAX_VALUE), varint(Integer.MAX_VALUE), varint(-1L), varint(1L << 31),
                concat(new byte[] {0x12}, varint(Integer.MAX_VALUE)),
                concat(new byte[] {0x1a}, varint(Long.MAX_VALUE)))).as((pos, v) ->
                new Mutation("varint " + Arrays.toString(v) + " at " + pos, b -> insert(b, pos % (b.length + 1), v)));
        var randomSlice = Combinators.combine(at, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8))
                .as((pos, bytes) -> new Mutation("insert " + Arrays.toString(bytes) + " at " + pos,
                        b -> insert(b, pos % (b.length + 1), bytes)));
        return Arbitraries.oneOf(bitFlip, truncate, duplicate, randomField, hugeVarint, randomSlice);
    }

    static byte[] varint(long value) {
        var out = new ByteArrayOutputStream();
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return out.toByteArray();
    }

    static byte[] insert(byte[] b, int pos, byte[] what) {
        var out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, pos);
        System.arraycopy(what, 0, out, pos, what.length);
        System.arraycopy(b, pos, out, pos + what.length, b.length - pos);
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        return insert(a, a.length, b);
    }

    private static byte[] bytes(ByteBuf buf) {
        var out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }
}

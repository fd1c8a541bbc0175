package io.imserver.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.imserver.protocol.ErrorCode;
import io.imserver.testing.WsClient;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pb.Command;
import pb.Custom;
import pb.Face;
import pb.Image;
import pb.Location;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageItem;
import pb.MessageType;
import pb.SyncResp;
import pb.Text;
import pb.Video;
import pb.Voice;

/** Every message type round-trips byte for byte (send, push, sync) and has the reference's preview. */
class MessageTypesIT extends MessagingTestBase {

    static MessageBody body(MessageType type, MessageContent.Builder content) {
        return MessageBody.newBuilder().setMessageType(type).setMessageContent(content).build();
    }

    static Stream<Arguments> everyType() {
        return Stream.of(
                Arguments.of("text", text("你好, world 👋 \u0000 <b>&amp;</b>"), "你好, world 👋  <b>&amp;</b>"),
                Arguments.of("face", body(MessageType.MT_FACE, MessageContent.newBuilder()
                        .setFace(Face.newBuilder().setFaceId(Long.MAX_VALUE).setFaceUrl("https://cdn.test/f/1.gif"))),
                        "[表情]"),
                Arguments.of("voice", body(MessageType.MT_VOICE, MessageContent.newBuilder()
                        .setVoice(Voice.newBuilder().setId("v-1").setSize(48_213).setDuration(7)
                                .setUrl("https://cdn.test/v/1.amr"))), "[录音]"),
                Arguments.of("image", body(MessageType.MT_IMAGE, MessageContent.newBuilder()
                        .setImage(Image.newBuilder().setId("i-1").setWidth(1920).setHeight(1080)
                                .setUrl("https://cdn.test/i/1.jpg").setThumbnailUrl("https://cdn.test/i/1_s.jpg"))),
                        "[图像]"),
                Arguments.of("file", body(MessageType.MT_FILE, MessageContent.newBuilder()
                        .setFile(pb.File.newBuilder().setId(-42).setName("报告 final (2).pdf").setSize(5_000_000_000L)
                                .setUrl("https://cdn.test/files/r.pdf"))), "[文件]"),
                Arguments.of("location", body(MessageType.MT_LOCATION, MessageContent.newBuilder()
                        .setLocation(Location.newBuilder().setDesc("Sydney Opera House").setLatitude(-33.856784)
                                .setLongitude(151.215297))), "[地址]"),
                Arguments.of("command", body(MessageType.MT_COMMAND, MessageContent.newBuilder()
                        .setCommand(Command.newBuilder().setCode(-7)
                                .setData(ByteString.copyFrom(new byte[] {0, (byte) 0xff, (byte) 0x80, 1, 0})))),
                        "[指令推送]"),
                Arguments.of("custom", body(MessageType.MT_CUSTOM, MessageContent.newBuilder()
                        .setCustom(Custom.newBuilder().setData("{\"kind\":\"card\",\"n\":[1,2,3]}"))), "[自定义]"),
                Arguments.of("video", body(MessageType.MT_VIDEO, MessageContent.newBuilder()
                        .setVideo(Video.newBuilder().setId("vid-9").setSize(Integer.MAX_VALUE).setDuration(3600)
                                .setUrl("https://cdn.test/v/9.mp4"))), "[视频]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyType")
    void directMessage_roundTripsByteForByte_andHasItsPreview(String name, MessageBody body, String preview) {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        var a2 = signIn(alice, 2);
        var b1 = signIn(bob, 1);
        var expected = body.toByteString();

        var reply = ok(a1.request("sendmessage", toUser(bob, body)));
        var onA2 = a2.awaitType(PUSH);
        var onB1 = b1.awaitType(PUSH);

        assertThat(rawBody(reply.getData())).isEqualTo(expected);
        assertThat(rawBody(onA2.getData())).isEqualTo(expected);
        assertThat(rawBody(onB1.getData())).isEqualTo(expected);
        var received = WsClient.parse(onB1, MessageItem.parser());
        assertThat(received.getMessageBody()).isEqualTo(body);
        assertThat(received.getConversationMessage()).isEqualTo(preview);
        assertThat(syncedBodies(b1, received.getConversationId())).containsExactly(expected);
        assertThat(syncedBodies(a1, WsClient.parse(reply, MessageItem.parser())
                .getConversationId())).containsExactly(expected);

        assertThat(conversationWith(b1, USER, alice).getMessagenewcontent()).isEqualTo(preview);
        assertThat(conversationWith(a1, USER, bob).getMessagenewcontent()).isEqualTo(preview);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyType")
    void groupMessage_roundTripsByteForByte_andHasItsPreview(String name, MessageBody body, String preview) {
        long owner = newUser("owner");
        long member = newUser("member");
        var o1 = signIn(owner, 1);
        var m1 = signIn(member, 1);
        long group = createGroup("types", owner, member);
        var expected = body.toByteString();

        var reply = ok(o1.request("sendmessage", toGroup(group, body)));
        var pushed = m1.awaitType(PUSH);

        assertThat(rawBody(reply.getData())).isEqualTo(expected);
        assertThat(rawBody(pushed.getData())).isEqualTo(expected);
        var conversation = conversationWith(m1, GROUP, group);
        assertThat(syncedBodies(m1, conversation.getId())).containsExactly(expected);
        assertThat(conversation.getMessagenewcontent()).isEqualTo(preview);
        assertThat(conversationWith(o1, GROUP, group).getMessagenewcontent()).isEqualTo(preview);
    }

    /** The raw message_body bytes of each message a sync returns, as they came over the wire. */
    private static List<ByteString> syncedBodies(WsClient client, long conversationId) {
        var out = ok(syncRequest(client, conversationId, 100, 0));
        return rawFields(out.getData(), SyncResp.MESSAGES_FIELD_NUMBER).stream()
                .map(MessagingTestBase::rawBody)
                .toList();
    }

    @Test
    void longTextPreview_isTheFirst100Characters() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        var longText = "😀".repeat(60) + "x".repeat(60);

        var sent = sendText(a1, bob, longText);

        var expected = "😀".repeat(60) + "x".repeat(40);
        assertThat(sent.getConversationMessage()).isEqualTo(expected);
        assertThat(sent.getMessageBody().getMessageContent().getText().getText()).isEqualTo(longText);
        assertThat(conversationWith(a1, USER, bob).getMessagenewcontent()).isEqualTo(expected);
    }

    static Stream<Arguments> mismatched() {
        var image = MessageContent.newBuilder().setImage(Image.newBuilder().setUrl("https://cdn.test/i.png"));
        var textContent = MessageContent.newBuilder().setText(Text.newBuilder().setText("hi"));
        return Stream.of(
                Arguments.of("image content typed as text", body(MessageType.MT_TEXT, image)),
                Arguments.of("text content typed as image", body(MessageType.MT_IMAGE, textContent)),
                Arguments.of("text content typed unknown", body(MessageType.MT_UNKNOWN, textContent)),
                Arguments.of("text content with an undefined type", MessageBody.newBuilder().setMessageTypeValue(42)
                        .setMessageContent(textContent).build()),
                Arguments.of("no content", MessageBody.newBuilder().setMessageType(MessageType.MT_TEXT).build()),
                Arguments.of("no body", MessageBody.getDefaultInstance()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mismatched")
    void bodyWhoseTypeDoesNotMatchItsContent_isInvalid_andNothingIsStored(String name, MessageBody body) {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        var b1 = signIn(bob, 1);
        long group = createGroup("g", alice, bob);

        assertRefused(a1.request("sendmessage", toUser(bob, body)), ErrorCode.INVALID_REQUEST);
        assertRefused(a1.request("sendmessage", toGroup(group, body)), ErrorCode.INVALID_REQUEST);

        b1.assertNoOutput(PUSH, QUIET);
        assertThat(totalUnread(b1)).isZero();
        assertThat(sync(b1, conversationWith(b1, GROUP, group).getId())).isEmpty();
    }
}

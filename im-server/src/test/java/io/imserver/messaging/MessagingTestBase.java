package io.imserver.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.WireFormat;
import io.imserver.protocol.ErrorCode;
import io.imserver.testing.AdminClient;
import io.imserver.testing.TestServer;
import io.imserver.testing.WsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import pb.AddConversationReq;
import pb.AddConversationResp;
import pb.ConversationItem;
import pb.ConversationReq;
import pb.ConversationResp;
import pb.ConversationSettingReq;
import pb.Input;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageItem;
import pb.MessageRead;
import pb.MessageType;
import pb.Output;
import pb.ReadNumResp;
import pb.SendMessage;
import pb.SyncReq;
import pb.SyncResp;
import pb.Text;

/**
 * One real server per test class (started once, {@code PER_CLASS} lifecycle), fresh users per test, and the
 * requests of the messaging commands over a real WebSocket. Clients opened through {@link #signIn} are closed after
 * each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MessagingTestBase {
    static final long APP = 1;
    static final int USER = 1;
    static final int GROUP = 2;
    /** How long to listen when checking that something does NOT arrive. */
    static final Duration QUIET = Duration.ofMillis(300);
    static final String PUSH = "message";

    TestServer server;
    AdminClient admin;
    private final AtomicLong nextUserId = new AtomicLong(1000);
    private final List<WsClient> clients = new ArrayList<>();

    @BeforeAll
    void startServer() {
        server = TestServer.start();
        admin = server.admin();
        admin.putApp(APP, getClass().getSimpleName());
    }

    @AfterEach
    void closeClients() {
        clients.forEach(WsClient::close);
        clients.clear();
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** A new user of {@link #APP} with an id no other test uses. */
    long newUser(String nickname) {
        long id = nextUserId.incrementAndGet();
        admin.putUser(APP, id, nickname);
        return id;
    }

    /** A user id that does not exist. */
    long unknownUser() {
        return nextUserId.incrementAndGet() + 1_000_000;
    }

    WsClient signIn(long userId, long deviceId) {
        var client = server.signIn(APP, userId, deviceId);
        clients.add(client);
        return client;
    }

    long createGroup(String name, long ownerId, Long... memberIds) {
        return admin.createGroup(APP, name, ownerId, List.of(memberIds));
    }

    void makeAdmin(long groupId, long userId) {
        var r = admin.call("PUT", "/api/v1/apps/" + APP + "/groups/" + groupId + "/members/" + userId,
                Map.of("role", "admin"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    /**
     * Waits (at most a millisecond or so) until the clock is past {@code ms}, so that the next message is strictly
     * later activity than one sent at {@code ms} (activity is ordered by millisecond; equal times fall back to id).
     */
    static void clockPast(long ms) {
        while (System.currentTimeMillis() <= ms) {
            Thread.onSpinWait();
        }
    }

    // ---- replies ----

    static Output ok(Output out) {
        assertThat(out.getCode()).as("%s replied %s %s", out.getType(), out.getCode(), out.getMessage())
                .isEqualTo(ErrorCode.OK.code());
        assertThat(out.getMessage()).isEqualTo("ok");
        return out;
    }

    static void assertRefused(Output out, ErrorCode expected) {
        assertThat(out.getCode()).as("%s replied %s %s", out.getType(), out.getCode(), out.getMessage())
                .isEqualTo(expected.code());
        assertThat(out.getMessage()).isNotBlank().isNotEqualTo("ok");
    }

    /** Sends {@code Input{type, data: raw bytes}} and waits for the reply of that type. */
    static Output requestRaw(WsClient client, String type, byte[] data) {
        client.sendRaw(Input.newBuilder().setType(type).setData(ByteString.copyFrom(data)).build().toByteArray());
        return client.awaitType(type);
    }

    // ---- message bodies ----

    static MessageBody text(String text) {
        return MessageBody.newBuilder().setMessageType(MessageType.MT_TEXT)
                .setMessageContent(MessageContent.newBuilder().setText(Text.newBuilder().setText(text)))
                .build();
    }

    /** A text body that also carries field 99, unknown to this server's schema (as from a newer client). */
    static MessageBody textFromANewerClient(String text) {
        return text(text).toBuilder().setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder()
                .addField(99, com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(7).build()).build())
                .build();
    }

    static SendMessage toUser(long userId, MessageBody body) {
        return SendMessage.newBuilder().setReceiverType(USER).setReceiverId(userId).setMessageBody(body).build();
    }

    static SendMessage toGroup(long groupId, MessageBody body) {
        return SendMessage.newBuilder().setReceiverType(GROUP).setReceiverId(groupId).setMessageBody(body).build();
    }

    // ---- commands ----

    static MessageItem send(WsClient client, SendMessage message) {
        return WsClient.parse(ok(client.request("sendmessage", message)), MessageItem.parser());
    }

    static MessageItem sendText(WsClient client, long userId, String text) {
        return send(client, toUser(userId, text(text)));
    }

    static MessageItem sendGroupText(WsClient client, long groupId, String text) {
        return send(client, toGroup(groupId, text(text)));
    }

    static MessageItem awaitPush(WsClient client) {
        var out = client.awaitType(PUSH);
        assertThat(out.getCode()).isEqualTo(200);
        return WsClient.parse(out, MessageItem.parser());
    }

    static Output listRequest(WsClient client, long limit, long offset) {
        return client.request("getconversationlist", ConversationReq.newBuilder().setLimit(limit).setOffset(offset)
                .build());
    }

    static List<ConversationItem> conversations(WsClient client, long limit, long offset) {
        return WsClient.parse(ok(listRequest(client, limit, offset)), ConversationResp.parser()).getConversationList();
    }

    static List<ConversationItem> conversations(WsClient client) {
        return conversations(client, 100, 0);
    }

    static ConversationItem conversationWith(WsClient client, int receiverType, long peerId) {
        return conversations(client).stream()
                .filter(c -> c.getReceiverType() == receiverType && c.getReceiverId() == peerId)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no conversation with " + receiverType + "/" + peerId));
    }

    static long unreadWith(WsClient client, int receiverType, long peerId) {
        return conversationWith(client, receiverType, peerId).getReceiveNum();
    }

    static Output syncRequest(WsClient client, long conversationId, long limit, long offset) {
        return client.request("sync", SyncReq.newBuilder().setConversationId(conversationId).setLimit(limit)
                .setOffset(offset).build());
    }

    static List<MessageItem> sync(WsClient client, long conversationId, long limit, long offset) {
        return WsClient.parse(ok(syncRequest(client, conversationId, limit, offset)), SyncResp.parser())
                .getMessagesList();
    }

    static List<MessageItem> sync(WsClient client, long conversationId) {
        return sync(client, conversationId, 100, 0);
    }

    static Output readRequest(WsClient client, long messageId) {
        return client.request("messageread", MessageRead.newBuilder().setMessageId(messageId).build());
    }

    static void read(WsClient client, long messageId) {
        ok(readRequest(client, messageId));
    }

    static long totalUnread(WsClient client) {
        return WsClient.parse(ok(client.request("chatreadnum", null)), ReadNumResp.parser()).getNum();
    }

    static Output addConversationRequest(WsClient client, int type, long peerId) {
        return client.request("addconversation", AddConversationReq.newBuilder().setType(type).setUserId(peerId)
                .build());
    }

    static long addConversation(WsClient client, int type, long peerId) {
        return WsClient.parse(ok(addConversationRequest(client, type, peerId)), AddConversationResp.parser())
                .getConversationId();
    }

    static Output pinRequest(WsClient client, long conversationId, int top) {
        return client.request("upconversation", ConversationSettingReq.newBuilder().setConversationId(conversationId)
                .setTop(top).build());
    }

    static Output muteRequest(WsClient client, long conversationId, int disturb) {
        return client.request("disturbconversation", ConversationSettingReq.newBuilder()
                .setConversationId(conversationId).setDisturb(disturb).build());
    }

    static List<Long> ids(List<MessageItem> items) {
        return items.stream().map(MessageItem::getId).toList();
    }

    static List<Long> seqs(List<MessageItem> items) {
        return items.stream().map(MessageItem::getSeq).toList();
    }

    static List<Long> conversationIds(List<ConversationItem> items) {
        return items.stream().map(ConversationItem::getId).toList();
    }

    // ---- raw wire bytes ----

    /** The raw bytes of every occurrence of a length-delimited field, exactly as they are on the wire. */
    static List<ByteString> rawFields(ByteString message, int fieldNumber) {
        var out = new ArrayList<ByteString>();
        try {
            var in = CodedInputStream.newInstance(message.toByteArray());
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (WireFormat.getTagFieldNumber(tag) == fieldNumber
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    out.add(in.readBytes());
                } else {
                    in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The raw {@code message_body} (field 6) of a serialized {@code MessageItem}. */
    static ByteString rawBody(ByteString messageItem) {
        var bodies = rawFields(messageItem, 6);
        assertThat(bodies).hasSize(1);
        return bodies.get(0);
    }

    static ByteString bytes(MessageLite m) {
        return m.toByteString();
    }
}

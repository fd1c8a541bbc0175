package io.imserver.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import pb.ConversationItem;
import pb.ConversationReq;
import pb.ConversationResp;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageItem;
import pb.MessageRead;
import pb.MessageType;
import pb.Output;
import pb.ReadReceipt;
import pb.SendMessage;
import pb.SyncReq;
import pb.SyncResp;
import pb.Text;

/** Small steps of a chat client for the delivery-guarantee tests: send, sync, list, read, and the pushes. */
public final class Chat {
    public static final long APP = 1;
    public static final int USER = 1;
    public static final int GROUP = 2;
    /** How long a test waits to be sure that something does not arrive. */
    public static final Duration QUIET = Duration.ofMillis(500);

    private static final AtomicLong NEXT_USER = new AtomicLong(100);

    private Chat() {
    }

    /** Creates app {@link #APP} on a fresh server. */
    public static void setUp(TestServer server) {
        server.admin().putApp(APP, "delivery");
    }

    /** A new user of {@link #APP}, never used by another test. */
    public static long newUser(TestServer server) {
        long id = NEXT_USER.getAndIncrement();
        server.admin().putUser(APP, id, "user" + id);
        return id;
    }

    public static long newGroup(TestServer server, long ownerId, Long... memberIds) {
        return server.admin().createGroup(APP, "group of " + ownerId, ownerId, List.of(memberIds));
    }

    /** Makes a member of the group an admin. */
    public static void makeAdmin(TestServer server, long groupId, long userId) {
        var r = server.admin().call("PUT", "/api/v1/apps/" + APP + "/groups/" + groupId + "/members/" + userId,
                java.util.Map.of("role", "admin"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    public static WsClient signIn(TestServer server, long userId, long deviceId) {
        return server.signIn(APP, userId, deviceId);
    }

    public static SendMessage text(int receiverType, long receiverId, String text) {
        return SendMessage.newBuilder().setReceiverType(receiverType).setReceiverId(receiverId)
                .setMessageBody(MessageBody.newBuilder().setMessageType(MessageType.MT_TEXT)
                        .setMessageContent(MessageContent.newBuilder().setText(Text.newBuilder().setText(text))))
                .build();
    }

    public static String textOf(MessageItem m) {
        return m.getMessageBody().getMessageContent().getText().getText();
    }

    /** Sends and returns the sender's stored record; fails unless the reply is 200. */
    public static MessageItem send(WsClient client, SendMessage message) {
        return ok(client.request("sendmessage", message), MessageItem.parser());
    }

    public static MessageItem sendTo(WsClient client, long userId, String text) {
        return send(client, text(USER, userId, text));
    }

    public static MessageItem sendToGroup(WsClient client, long groupId, String text) {
        return send(client, text(GROUP, groupId, text));
    }

    /** The next {@code message} push. */
    public static MessageItem pushed(WsClient client) {
        return ok(client.awaitType("message"), MessageItem.parser());
    }

    public static ReadReceipt pushedReceipt(WsClient client, String type) {
        return ok(client.awaitType(type), ReadReceipt.parser());
    }

    /** {@code recall}; the reply as it came (check its code). */
    public static Output recall(WsClient client, long messageId) {
        return client.request("recall", pb.RecallReq.newBuilder().setMessageId(messageId).build());
    }

    public static SyncResp sync(WsClient client, SyncReq req) {
        return ok(client.request("sync", req), SyncResp.parser());
    }

    public static SyncResp syncAfter(WsClient client, long conversationId, long afterSeq, int limit) {
        return sync(client, SyncReq.newBuilder().setConversationId(conversationId).setAfterSeq(afterSeq)
                .setLimit(limit).build());
    }

    public static SyncResp syncBefore(WsClient client, long conversationId, long beforeSeq, int limit) {
        return sync(client, SyncReq.newBuilder().setConversationId(conversationId).setBeforeSeq(beforeSeq)
                .setLimit(limit).build());
    }

    /** Offset-based sync, newest first: marks read up to the newest returned. */
    public static SyncResp syncByOffset(WsClient client, long conversationId, int limit) {
        return sync(client, SyncReq.newBuilder().setConversationId(conversationId).setLimit(limit).build());
    }

    /** Every message of a conversation by seq, oldest first, without marking anything read. */
    public static List<MessageItem> history(WsClient client, long conversationId) {
        var all = new java.util.ArrayList<MessageItem>();
        long after = 0;
        while (true) {
            var page = syncAfter(client, conversationId, after, 100);
            all.addAll(page.getMessagesList());
            if (!page.getHasMore()) {
                return all;
            }
            after = page.getMessages(page.getMessagesCount() - 1).getSeq();
        }
    }

    public static void markRead(WsClient client, long messageId) {
        ok(client.request("messageread", MessageRead.newBuilder().setMessageId(messageId).build()));
    }

    public static ConversationResp list(WsClient client) {
        return ok(client.request("getconversationlist", ConversationReq.newBuilder().setLimit(100).build()),
                ConversationResp.parser());
    }

    public static ConversationResp listSince(WsClient client, long version, int limit) {
        return ok(client.request("getconversationlist",
                ConversationReq.newBuilder().setSinceVersion(version).setLimit(limit).build()), ConversationResp.parser());
    }

    /** The caller's conversation with this id, from the full list. */
    public static ConversationItem conversation(WsClient client, long conversationId) {
        return list(client).getConversationList().stream().filter(c -> c.getId() == conversationId).findFirst()
                .orElseThrow(() -> new AssertionError("conversation " + conversationId + " is not in the list"));
    }

    /** The caller's conversation with a peer (user or group), from the full list. */
    public static ConversationItem conversationWith(WsClient client, int peerType, long peerId) {
        return list(client).getConversationList().stream()
                .filter(c -> c.getReceiverType() == peerType && c.getReceiverId() == peerId).findFirst()
                .orElseThrow(() -> new AssertionError("no conversation with " + peerType + "/" + peerId));
    }

    public static Output ok(Output out) {
        assertThat(out.getCode()).as("%s: %s", out.getType(), out.getMessage()).isEqualTo(200);
        return out;
    }

    public static <T> T ok(Output out, com.google.protobuf.Parser<T> parser) {
        return WsClient.parse(ok(out), parser);
    }
}

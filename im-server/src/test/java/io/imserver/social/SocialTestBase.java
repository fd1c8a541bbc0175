package io.imserver.social;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.protocol.ErrorCode;
import io.imserver.testing.AdminClient;
import io.imserver.testing.TestServer;
import io.imserver.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import pb.AddExamine;
import pb.GetExamine;
import pb.GetFriendListReq;
import pb.GetFriendListResp;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageType;
import pb.Output;
import pb.SendMessage;
import pb.Text;
import pb.UpExamineReq;

/**
 * One real server per test class, fresh users per test, and the social commands over a real WebSocket. Clients
 * opened through {@link #signIn} are closed after each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SocialTestBase {
    static final long APP = 1;
    /** A second app: its users and groups must be invisible to {@link #APP}'s. */
    static final long OTHER_APP = 2;
    static final int FRIEND = 1;
    static final int JOIN_GROUP = 2;
    static final int ACCEPT = 1;
    static final int REFUSE = 2;
    static final Duration QUIET = Duration.ofMillis(300);

    TestServer server;
    AdminClient admin;
    private final AtomicLong nextUserId = new AtomicLong(1000);
    private final List<WsClient> clients = new ArrayList<>();

    @BeforeAll
    void startServer() {
        server = TestServer.start();
        admin = server.admin();
        admin.putApp(APP, getClass().getSimpleName());
        admin.putApp(OTHER_APP, "other");
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

    long newUser(String nickname) {
        return newUser(APP, nickname);
    }

    long newUser(long app, String nickname) {
        long id = nextUserId.incrementAndGet();
        admin.putUser(app, id, nickname);
        return id;
    }

    WsClient signIn(long userId) {
        return signIn(APP, userId);
    }

    WsClient signIn(long app, long userId) {
        var client = server.signIn(app, userId, 1);
        clients.add(client);
        return client;
    }

    long createGroup(long ownerId, Long... memberIds) {
        return admin.createGroup(APP, "group of " + ownerId, ownerId, List.of(memberIds));
    }

    void makeAdmin(long groupId, long userId) {
        var r = admin.call("PUT", "/api/v1/apps/" + APP + "/groups/" + groupId + "/members/" + userId,
                Map.of("role", "admin"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    // ---- replies ----

    static Output ok(Output out) {
        assertThat(out.getCode()).as("%s replied %s %s", out.getType(), out.getCode(), out.getMessage())
                .isEqualTo(ErrorCode.OK.code());
        return out;
    }

    static void assertRefused(Output out, ErrorCode expected) {
        assertThat(out.getCode()).as("%s replied %s %s", out.getType(), out.getCode(), out.getMessage())
                .isEqualTo(expected.code());
        assertThat(out.getMessage()).isNotBlank().isNotEqualTo("ok");
    }

    // ---- commands ----

    static Output addExamine(WsClient client, int type, long fid, String text) {
        return client.request("addexamine", AddExamine.newBuilder().setType(type).setFid(fid).setWay(4)
                .setExaminetext(text).setRemark("remark of " + fid).build());
    }

    static Output upExamine(WsClient client, int type, long fid, long requester, int examine) {
        return client.request("upexamine", UpExamineReq.newBuilder().setType(type).setFid(fid).setUserId(requester)
                .setExamine(examine).build());
    }

    /** A asks B, B accepts: friends both ways. */
    static void befriend(WsClient a, WsClient b, long bId, long aId) {
        ok(addExamine(a, FRIEND, bId, "hi"));
        var decided = WsClient.parse(ok(upExamine(b, FRIEND, 0, aId, ACCEPT)), GetExamine.parser());
        assertThat(decided.getExamine()).isEqualTo(ACCEPT);
    }

    static List<Long> friendIds(WsClient client) {
        return friends(client).getFriendsList().stream().map(f -> f.getFId()).toList();
    }

    static GetFriendListResp friends(WsClient client) {
        return WsClient.parse(ok(client.request("getfriends", GetFriendListReq.getDefaultInstance())),
                GetFriendListResp.parser());
    }

    static Output sendText(WsClient client, long userId, String text) {
        return client.request("sendmessage", SendMessage.newBuilder().setReceiverType(1).setReceiverId(userId)
                .setMessageBody(MessageBody.newBuilder().setMessageType(MessageType.MT_TEXT)
                        .setMessageContent(MessageContent.newBuilder().setText(Text.newBuilder().setText(text))))
                .build());
    }

    static Output sendGroupText(WsClient client, long groupId, String text) {
        return client.request("sendmessage", SendMessage.newBuilder().setReceiverType(2).setReceiverId(groupId)
                .setMessageBody(MessageBody.newBuilder().setMessageType(MessageType.MT_TEXT)
                        .setMessageContent(MessageContent.newBuilder().setText(Text.newBuilder().setText(text))))
                .build());
    }
}

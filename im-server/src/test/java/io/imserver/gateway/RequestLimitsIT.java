package io.imserver.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.MessageLite;
import io.imserver.testing.Chat;
import io.imserver.testing.TestServer;
import io.imserver.testing.WsClient;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pb.CreateGroupReq;
import pb.Group;
import pb.GroupReadReq;
import pb.OnlineReq;
import pb.Output;
import pb.SyncReq;

/**
 * Every request field that carries a list, a text or a page size has a cap: one over it is answered 400 with the
 * field, the size and the cap, and nothing happens; the cap itself is accepted. Texts in messages are capped by the
 * frame size (1009, {@code GatewayIT}).
 */
class RequestLimitsIT {
    static TestServer server;
    static WsClient client;
    static long userId;
    static long peerId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        Chat.setUp(server);
        userId = Chat.newUser(server);
        peerId = Chat.newUser(server);
        client = Chat.signIn(server, userId, 1);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static String reply(String type, MessageLite data) {
        Output out = client.request(type, data);
        return out.getCode() + " " + out.getMessage();
    }

    private static String ids(int n) {
        return LongStream.rangeClosed(1, n).mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    @Test
    void sendmessage_capsToUserIdsAndClientMsgId() {
        var mentions = Chat.text(Chat.USER, peerId, "hi").toBuilder()
                .addAllToUserIds(LongStream.rangeClosed(1, 101).boxed().toList()).build();
        assertThat(reply("sendmessage", mentions)).isEqualTo("400 to_user_ids: 101 ids (expected: <= 100)");
        var longId = Chat.text(Chat.USER, peerId, "hi").toBuilder().setClientMsgId("x".repeat(65)).build();
        assertThat(reply("sendmessage", longId)).isEqualTo("400 client_msg_id: 65 characters (expected: <= 64)");
        var fits = Chat.text(Chat.USER, peerId, "hi").toBuilder().setClientMsgId("x".repeat(64)).build();
        assertThat(reply("sendmessage", fits)).startsWith("200");
    }

    @Test
    void online_asksAtMost100Users() {
        var req = OnlineReq.newBuilder().addAllUserIds(LongStream.rangeClosed(1, 101).boxed().toList()).build();
        assertThat(reply("online", req)).isEqualTo("400 user_ids: 101 (expected: <= 100)");
        assertThat(reply("online", req.toBuilder().clearUserIds()
                .addAllUserIds(LongStream.rangeClosed(1, 100).boxed().toList()).build())).startsWith("200");
    }

    @Test
    void groupreadcount_asksAtMost100Seqs() {
        var req = GroupReadReq.newBuilder().setConversationId(1)
                .addAllSeqs(LongStream.rangeClosed(1, 101).boxed().toList()).build();
        assertThat(reply("groupreadcount", req)).isEqualTo("400 seqs: 101 (expected: <= 100)");
    }

    @Test
    void pageSizes_areCappedAt100_andNegativeOnesRefused() {
        var conversation = Chat.sendTo(client, peerId, "page").getConversationId();
        var huge = SyncReq.newBuilder().setConversationId(conversation).setAfterSeq(0).setLimit(1_000_000).build();
        assertThat(reply("sync", huge)).startsWith("200");
        assertThat(reply("sync", huge.toBuilder().setLimit(-1).build())).isEqualTo("400 limit: -1 (expected: >= 0)");
        assertThat(reply("getconversationlist", pb.ConversationReq.newBuilder().setLimit(-5).build()))
                .isEqualTo("400 limit: -5 (expected: >= 0)");
    }

    @Test
    void creatgroup_capsNameIntroductionAvatarAndMembers() {
        var group = Group.newBuilder().setName("g").setUserIds(Long.toString(peerId));
        assertThat(reply("creatgroup", CreateGroupReq.newBuilder().setGroup(group.clone().setName("n".repeat(101))).build()))
                .isEqualTo("400 name: 101 characters (expected: <= 100)");
        assertThat(reply("creatgroup", CreateGroupReq.newBuilder()
                .setGroup(group.clone().setIntroduction("i".repeat(1001))).build()))
                .isEqualTo("400 introduction: 1001 characters (expected: <= 1000)");
        assertThat(reply("creatgroup", CreateGroupReq.newBuilder()
                .setGroup(group.clone().setAvatar("https://a.test/" + "a".repeat(1010))).build()))
                .isEqualTo("400 avatar: 1025 characters (expected: <= 1024)");
        assertThat(reply("creatgroup", CreateGroupReq.newBuilder()
                .setGroup(group.clone().setUserIds(ids(2001))).build()))
                .isEqualTo("400 members: 2001 (expected: <= 2000)");
        assertThat(reply("creatgroup", CreateGroupReq.newBuilder()
                .setGroup(group.clone().setName("n".repeat(100))).build())).startsWith("200");
        // nothing of the refused ones was created: the caller is in exactly one group
        var groups = WsClient.parse(client.request("groupbyuser", pb.GetUserGroupsReq.getDefaultInstance()),
                pb.GetUserGroupsResp.parser());
        assertThat(groups.getGroupsList()).hasSize(1);
    }
}

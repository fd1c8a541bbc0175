package io.imserver.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.imserver.testing.GrpcClient;
import io.imserver.testing.TestServer;
import io.imserver.testing.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pb.AdminAppReq;
import pb.AdminBroadcastReq;
import pb.AdminGroupReq;
import pb.AdminGrpc;
import pb.AdminMessagesReq;
import pb.AdminSendReq;
import pb.AdminUser;
import pb.AdminUserReq;
import pb.AdminWebhook;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageType;
import pb.SendMessage;
import pb.Text;

/** {@code pb.Admin} with a real grpc-java client: every operation, and the admin token in metadata. */
class AdminGrpcIT {
    static TestServer server;
    static GrpcClient grpc;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        grpc = new GrpcClient(server.grpcPort());
    }

    @AfterAll
    static void stop() {
        grpc.close();
        server.close();
    }

    static AdminGrpc.AdminBlockingStub admin() {
        return GrpcClient.asAdmin(AdminGrpc.newBlockingStub(grpc.channel()));
    }

    static MessageBody text(String text) {
        return MessageBody.newBuilder().setMessageType(MessageType.MT_TEXT)
                .setMessageContent(MessageContent.newBuilder().setText(Text.newBuilder().setText(text))).build();
    }

    static void app(long app, int users) {
        admin().putApp(AdminAppReq.newBuilder().setAppId(app).setName("app " + app).build());
        for (long u = 1; u <= users; u++) {
            admin().putUser(AdminUser.newBuilder().setAppId(app).setUserId(u).setNickname("user" + u).build());
        }
    }

    static Status.Code codeOf(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void withoutTheAdminToken_everyCallIsUnauthenticated() {
        var anonymous = GrpcClient.with(AdminGrpc.newBlockingStub(grpc.channel()), Map.of());
        assertThatThrownBy(() -> anonymous.getApp(AdminAppReq.newBuilder().setAppId(1).build()))
                .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("UNAUTHENTICATED");
        var wrong = GrpcClient.with(AdminGrpc.newBlockingStub(grpc.channel()), Map.of("authorization", "Bearer nope"));
        assertThat(codeOf(() -> wrong.getApp(AdminAppReq.newBuilder().setAppId(1).build())))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void appsUsersAndTokens_likeTheHttpApi() throws InterruptedException {
        var created = admin().putApp(AdminAppReq.newBuilder().setAppId(60).setName("grpc app").build());
        assertThat(created.getSecret()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(admin().getApp(AdminAppReq.newBuilder().setAppId(60).build()).getName()).isEqualTo("grpc app");
        admin().putUser(AdminUser.newBuilder().setAppId(60).setUserId(1).setNickname("Ann").setSex(2).build());
        assertThat(admin().getUser(AdminUserReq.newBuilder().setAppId(60).setUserId(1).build()).getNickname())
                .isEqualTo("Ann");
        var token = admin().issueToken(AdminUserReq.newBuilder().setAppId(60).setUserId(1).setDeviceId(1).build());
        try (var ws = WsClient.connect(server.wsUrl())) {
            assertThat(ws.request("sign", null, WsClient.auth(60, 1, 1, token.getToken())).getCode()).isEqualTo(200);
        }
        var revoked = admin().revokeTokens(AdminUserReq.newBuilder().setAppId(60).setUserId(1).build());
        assertThat(revoked.getRevokedAt()).isPositive();
        try (var ws = WsClient.connect(server.wsUrl())) {
            assertThat(ws.request("sign", null, WsClient.auth(60, 1, 1, token.getToken())).getCode()).isEqualTo(401);
        }
        assertThat(codeOf(() -> admin().getUser(AdminUserReq.newBuilder().setAppId(60).setUserId(9).build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(codeOf(() -> admin().issueToken(AdminUserReq.newBuilder().setAppId(60).setUserId(1).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);

        Thread.sleep(5);
        try (var connected = server.signIn(60, 1, 2)) {
            var disabled = admin().setAppDisabled(AdminAppReq.newBuilder().setAppId(60).setDisabled(true).build());
            assertThat(disabled.getDisabledAt()).isPositive();
            connected.awaitClose(Duration.ofSeconds(5));
        }
        assertThat(codeOf(() -> admin().issueToken(AdminUserReq.newBuilder().setAppId(60).setUserId(1)
                .setDeviceId(1).build()))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(admin().setAppDisabled(AdminAppReq.newBuilder().setAppId(60).build()).getDisabledAt()).isZero();
    }

    @Test
    void friendsOnly_isSetByPutAppAndKeptWhenNotNamed() {
        var on = admin().putApp(AdminAppReq.newBuilder().setAppId(65).setName("friends").setFriendsOnly(true).build());
        assertThat(on.getFriendsOnly()).isTrue();
        var renamed = admin().putApp(AdminAppReq.newBuilder().setAppId(65).setName("friends, renamed").build());
        assertThat(renamed.getFriendsOnly()).isTrue();
        assertThat(admin().putApp(AdminAppReq.newBuilder().setAppId(65).setName("open").setFriendsOnly(false).build())
                .getFriendsOnly()).isFalse();
    }

    @Test
    void messages_broadcasts_conversationsAndHistory() {
        app(61, 3);
        var asUser = admin().sendMessage(AdminSendReq.newBuilder().setAppId(61).setMessage(SendMessage.newBuilder()
                .setSenderType(2).setSenderId(1).setReceiverType(1).setReceiverId(2).setMessageBody(text("hi"))
                .setClientMsgId("g-1")).build());
        var retried = admin().sendMessage(AdminSendReq.newBuilder().setAppId(61).setMessage(SendMessage.newBuilder()
                .setSenderType(2).setSenderId(1).setReceiverType(1).setReceiverId(2).setMessageBody(text("hi"))
                .setClientMsgId("g-1")).build());
        assertThat(retried.getId()).isEqualTo(asUser.getId());
        var asSystem = admin().sendMessage(AdminSendReq.newBuilder().setAppId(61).setMessage(SendMessage.newBuilder()
                .setSenderType(1).setReceiverType(1).setReceiverId(2).setMessageBody(text("notice"))).build());
        assertThat(asSystem.getSenderType()).isEqualTo(1);
        var broadcast = admin().broadcast(AdminBroadcastReq.newBuilder().setAppId(61).addAllUserIds(List.of(1L, 2L, 3L))
                .setMessageBody(text("all")).build());
        assertThat(broadcast.getMessagesCount()).isEqualTo(3);

        var conversations = admin().listConversations(AdminUserReq.newBuilder().setAppId(61).setUserId(2).build());
        assertThat(conversations.getConversationCount()).isEqualTo(2);
        var withSystem = conversations.getConversationList().stream().filter(c -> c.getReceiverId() == 0)
                .findFirst().orElseThrow();
        var history = admin().listMessages(AdminMessagesReq.newBuilder().setAppId(61)
                .setConversationId(withSystem.getId()).setLimit(1).build());
        assertThat(history.getMessagesCount()).isEqualTo(1);
        assertThat(history.getMessages(0).getConversationMessage()).isEqualTo("all");
        assertThat(codeOf(() -> admin().listMessages(AdminMessagesReq.newBuilder().setAppId(61)
                .setConversationId(withSystem.getId()).setLimit(-1).build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> admin().sendMessage(AdminSendReq.newBuilder().setAppId(61).setMessage(SendMessage
                .newBuilder().setSenderType(2).setSenderId(1).setReceiverType(2).setReceiverId(999)
                .setMessageBody(text("x"))).build()))).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void devices_areListedAndKicked_andUsersDeleted() {
        app(62, 2);
        try (var ws = server.signIn(62, 1, 4)) {
            var devices = admin().onlineDevices(AdminUserReq.newBuilder().setAppId(62).setUserId(1).build());
            assertThat(devices.getDeviceIdsList()).containsExactly(4L);
            assertThat(admin().kickDevice(AdminUserReq.newBuilder().setAppId(62).setUserId(1).setDeviceId(4).build())
                    .getDone()).isTrue();
            assertThat(ws.awaitType("kick").getCode()).isEqualTo(410);
        }
        assertThat(admin().deleteUser(AdminUserReq.newBuilder().setAppId(62).setUserId(2).build()).getDone()).isTrue();
        assertThat(codeOf(() -> admin().getUser(AdminUserReq.newBuilder().setAppId(62).setUserId(2).build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void groups_fromCreationToDeletion() {
        app(63, 4);
        var group = admin().createGroup(AdminGroupReq.newBuilder().setAppId(63).setName("g").setOwnerId(1)
                .addAllMemberIds(List.of(2L, 3L)).build());
        long id = group.getGroupId();
        assertThat(group.getMembersCount()).isEqualTo(3);
        var member = admin().putMember(AdminGroupReq.newBuilder().setAppId(63).setGroupId(id).setUserId(4)
                .setRole("admin").setLabel("ops").build());
        assertThat(member.getRole()).isEqualTo("admin");
        var updated = admin().updateGroup(AdminGroupReq.newBuilder().setAppId(63).setGroupId(id).setName("renamed")
                .build());
        assertThat(updated.getName()).isEqualTo("renamed");
        // NUL cannot be stored on PostgreSQL: refused alike on every engine, as over HTTP
        assertThat(codeOf(() -> admin().updateGroup(AdminGroupReq.newBuilder().setAppId(63).setGroupId(id)
                .setName("bad\u0000name").build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> admin().putUser(AdminUser.newBuilder().setAppId(63).setUserId(9)
                .setNickname("nul\u0000nick").build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(admin().transferOwner(AdminGroupReq.newBuilder().setAppId(63).setGroupId(id).setOwnerId(2).build())
                .getOwnerId()).isEqualTo(2);
        var page = admin().listMembers(AdminGroupReq.newBuilder().setAppId(63).setGroupId(id).setLimit(2).build());
        assertThat(page.getMembersList()).extracting(m -> m.getRole()).containsExactly("owner", "admin");
        assertThat(admin().removeMember(AdminGroupReq.newBuilder().setAppId(63).setGroupId(id).setUserId(3).build())
                .getDone()).isTrue();
        assertThat(admin().getGroup(AdminGroupReq.newBuilder().setAppId(63).setGroupId(id).build()).getMembersCount())
                .isEqualTo(3);
        assertThat(admin().deleteGroup(AdminGroupReq.newBuilder().setAppId(63).setGroupId(id).build()).getDone())
                .isTrue();
        assertThat(codeOf(() -> admin().getGroup(AdminGroupReq.newBuilder().setAppId(63).setGroupId(id).build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void webhooks_arePutReadAndDeleted() {
        app(64, 1);
        var put = admin().putWebhook(AdminWebhook.newBuilder().setAppId(64).setUrl("http://127.0.0.1:1/h")
                .addEvents("message.stored").setBeforeSend(true).setFailClosed(true).build());
        assertThat(put.getSecret()).isNotEmpty();
        assertThat(put.getBeforeSendTimeoutMs()).isEqualTo(2000);
        var got = admin().getWebhook(AdminAppReq.newBuilder().setAppId(64).build());
        assertThat(got.getEventsList()).containsExactly("message.stored");
        assertThat(got.getFailClosed()).isTrue();
        assertThat(codeOf(() -> admin().putWebhook(AdminWebhook.newBuilder().setAppId(64).setUrl("nope").build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(admin().deleteWebhook(AdminAppReq.newBuilder().setAppId(64).build()).getDone()).isTrue();
        assertThat(codeOf(() -> admin().getWebhook(AdminAppReq.newBuilder().setAppId(64).build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void appRateLimits_areSetAndRead_andRefusedOutOfRange() {
        app(65, 0);
        var set = admin().setAppRateLimits(pb.AdminRateLimits.newBuilder().setAppId(65).setConnPerS(5).setUserBurst(9)
                .build());
        assertThat(set.getConnPerS()).isEqualTo(5);
        var got = admin().getAppRateLimits(AdminAppReq.newBuilder().setAppId(65).build());
        assertThat(List.of(got.getConnPerS(), got.getConnBurst(), got.getUserPerS(), got.getUserBurst()))
                .containsExactly(5, 0, 0, 9);
        assertThat(codeOf(() -> admin().setAppRateLimits(pb.AdminRateLimits.newBuilder().setAppId(65).setConnBurst(-1)
                .build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> admin().getAppRateLimits(AdminAppReq.newBuilder().setAppId(66).build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }
}

package io.imserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import io.imserver.testing.AdminClient;
import io.imserver.testing.GrpcClient;
import io.imserver.testing.TestServer;
import io.imserver.testing.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pb.ConversationReq;
import pb.ConversationResp;
import pb.GreeterGrpc;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageItem;
import pb.MessageType;
import pb.SendMessage;
import pb.Text;

/** {@code pb.Greeter/SystemMsgByConversation} with a real grpc-java client: metadata auth, system and user messages. */
class GreeterGrpcIT {
    static final long APP = 1;
    static TestServer server;
    static AdminClient admin;
    static GrpcClient grpc;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        admin.putApp(APP, "app");
        for (long u = 1; u <= 8; u++) {
            admin.putUser(APP, u, "user" + u);
        }
        grpc = new GrpcClient(server.grpcPort());
    }

    @AfterAll
    static void stop() {
        grpc.close();
        server.close();
    }

    static MessageBody text(String text) {
        return MessageBody.newBuilder().setMessageType(MessageType.MT_TEXT)
                .setMessageContent(MessageContent.newBuilder().setText(Text.newBuilder().setText(text))).build();
    }

    static GreeterGrpc.GreeterBlockingStub greeterAs(long userId, long deviceId) {
        var token = admin.token(APP, userId, deviceId, 3600);
        return GrpcClient.with(GreeterGrpc.newBlockingStub(grpc.channel()), Map.of("app_id", "" + APP,
                "user_id", "" + userId, "device_id", "" + deviceId, "token", token, "request_id", "req-1"));
    }

    static List<pb.ConversationItem> conversationsOf(long userId) {
        try (var ws = server.signIn(APP, userId, 99)) {
            var reply = ws.request("getconversationlist", ConversationReq.newBuilder().setLimit(100).build());
            return WsClient.parse(reply, ConversationResp.parser()).getConversationList();
        }
    }

    @Test
    void systemMessageToAUser_landsOnlyInTheReceiversConversationWithTheCaller() {
        try (var receiver = server.signIn(APP, 2, 1)) {
            var resp = greeterAs(1, 7).systemMsgByConversation(SendMessage.newBuilder().setSenderType(1)
                    .setReceiverType(1).setReceiverId(2).setMessageBody(text("your order shipped")).build());

            assertThat(resp.getErrCode()).as(resp.getErrMsg()).isEqualTo(200);
            var push = WsClient.parse(receiver.awaitType("message"), MessageItem.parser());
            assertThat(push.getSenderType()).isEqualTo(1);
            assertThat(push.getSenderId()).isEqualTo(1);
            assertThat(push.getMessageBody().getMessageContent().getText().getText()).isEqualTo("your order shipped");
        }
        var receiverSide = conversationsOf(2).stream().filter(c -> c.getReceiverId() == 1).findFirst().orElseThrow();
        assertThat(receiverSide.getReceiveNum()).isEqualTo(1);
        assertThat(receiverSide.getMessagenewcontent()).isEqualTo("your order shipped");
        assertThat(conversationsOf(1)).noneMatch(c -> c.getReceiverId() == 2 && c.getReceiverType() == 1);
    }

    @Test
    void systemMessageToAGroup_isOneRecordInTheGroupStream_seenByEveryMember_andOnlyAMemberMaySendIt() {
        long group = admin.createGroup(APP, "team", 3, List.of(4L, 1L));
        var outsider = greeterAs(5, 1).systemMsgByConversation(SendMessage.newBuilder().setSenderType(1)
                .setReceiverType(2).setReceiverId(group).setMessageBody(text("not mine to say")).build());
        assertThat(outsider.getErrCode()).as(outsider.getErrMsg()).isEqualTo(403);
        try (var member = server.signIn(APP, 4, 1)) {
            var resp = greeterAs(1, 7).systemMsgByConversation(SendMessage.newBuilder().setSenderType(1)
                    .setReceiverType(2).setReceiverId(group).setMessageBody(text("maintenance at 22:00")).build());

            assertThat(resp.getErrCode()).as(resp.getErrMsg()).isEqualTo(200);
            var push = WsClient.parse(member.awaitType("message"), MessageItem.parser());
            assertThat(push.getSenderType()).isEqualTo(1);
            assertThat(push.getReceiverId()).isEqualTo(group);
        }
        var owner = conversationsOf(3).stream().filter(c -> c.getReceiverId() == group).findFirst().orElseThrow();
        assertThat(owner.getMessagenewcontent()).isEqualTo("maintenance at 22:00");
        assertThat(owner.getReceiveNum()).isEqualTo(1);
    }

    @Test
    void senderType2_sendsAsTheCaller_likeSendmessage_andIsIdempotentByClientMsgId() {
        var stub = greeterAs(3, 5);
        var message = SendMessage.newBuilder().setSenderType(2).setReceiverType(1).setReceiverId(4)
                .setMessageBody(text("hello from the backend")).setClientMsgId("grpc-1").build();
        try (var receiver = server.signIn(APP, 4, 2)) {
            assertThat(stub.systemMsgByConversation(message).getErrCode()).isEqualTo(200);
            var push = WsClient.parse(receiver.awaitType("message"), MessageItem.parser());
            assertThat(push.getSenderType()).isEqualTo(2);
            assertThat(push.getSenderId()).isEqualTo(3);

            assertThat(stub.systemMsgByConversation(message).getErrCode()).isEqualTo(200);
            receiver.assertNoOutput("message", Duration.ofMillis(500));
        }
        assertThat(conversationsOf(3)).anyMatch(c -> c.getReceiverId() == 4
                && c.getMessagenewcontent().equals("hello from the backend"));
    }

    @Test
    void aBadToken_missingMetadata_orARevokedToken_isRefusedWith401() throws InterruptedException {
        var forged = GrpcClient.with(GreeterGrpc.newBlockingStub(grpc.channel()),
                Map.of("app_id", "1", "user_id", "5", "device_id", "1", "token", "not-a-token"));
        var message = SendMessage.newBuilder().setSenderType(1).setReceiverType(1).setReceiverId(6)
                .setMessageBody(text("x")).build();
        var refused = forged.systemMsgByConversation(message);
        assertThat(refused.getErrCode()).isEqualTo(401);
        assertThat(refused.getErrMsg()).contains("token");

        var none = GrpcClient.with(GreeterGrpc.newBlockingStub(grpc.channel()), Map.of());
        assertThat(none.systemMsgByConversation(message).getErrCode()).isEqualTo(401);

        var stub = greeterAs(5, 8);
        assertThat(stub.systemMsgByConversation(message).getErrCode()).isEqualTo(200);
        assertThat(admin.call("POST", "/api/v1/apps/1/users/5/revoke-tokens", null).status()).isEqualTo(200);
        var revoked = stub.systemMsgByConversation(message);
        assertThat(revoked.getErrCode()).isEqualTo(401);
        assertThat(revoked.getErrMsg()).contains("revoked");
        Thread.sleep(5); // a token issued after the revocation instant signs in again
        assertThat(greeterAs(5, 8).systemMsgByConversation(message).getErrCode()).isEqualTo(200);
    }

    @Test
    void badValues_getTheirErrorCode() {
        var stub = greeterAs(2, 1);
        assertThat(stub.systemMsgByConversation(SendMessage.newBuilder().setSenderType(3).setReceiverType(1)
                .setReceiverId(1).setMessageBody(text("x")).build()).getErrCode()).isEqualTo(400);
        assertThat(stub.systemMsgByConversation(SendMessage.newBuilder().setSenderType(1).setReceiverType(1)
                .setReceiverId(424242).setMessageBody(text("x")).build()).getErrCode()).isEqualTo(404);
        assertThat(stub.systemMsgByConversation(SendMessage.newBuilder().setSenderType(1).setReceiverType(1)
                .setReceiverId(1).build()).getErrCode()).isEqualTo(400);
    }

    @Test
    void healthChecking_andServerReflection_areOn() throws Exception {
        var health = HealthGrpc.newBlockingStub(grpc.channel()).withDeadlineAfter(5, TimeUnit.SECONDS);
        assertThat(health.check(HealthCheckRequest.newBuilder().build()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService("pb.Greeter").build()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

        var listed = new CompletableFuture<ServerReflectionResponse>();
        var requests = ServerReflectionGrpc.newStub(grpc.channel()).serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionResponse value) {
                listed.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                listed.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        var services = listed.get(5, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                .map(s -> s.getName()).toList();
        requests.onCompleted();
        assertThat(services).contains("pb.Greeter", "pb.Admin", "grpc.health.v1.Health");
    }
}

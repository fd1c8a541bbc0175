package io.imserver.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.TestServer;
import io.imserver.testing.WsClient;
import org.junit.jupiter.api.Test;
import pb.ConversationReq;
import pb.ConversationResp;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageType;
import pb.SendMessage;
import pb.SyncReq;
import pb.SyncResp;
import pb.Text;

/** Everything acknowledged survives a restart on the same data directory. */
class RestartIT {

    @Test
    void appsUsersTokensAndMessages_surviveARestart() throws Exception {
        try (var server = TestServer.start()) {
            var admin = server.admin();
            admin.putApp(1, "app");
            admin.putUser(1, 1, "alice");
            admin.putUser(1, 2, "bob");
            var tokenOfBob = admin.token(1, 2, 1, 3600);
            try (var alice = server.signIn(1, 1, 1)) {
                var reply = alice.request("sendmessage", SendMessage.newBuilder().setReceiverType(1).setReceiverId(2)
                        .setMessageBody(MessageBody.newBuilder().setMessageType(MessageType.MT_TEXT).setMessageContent(
                                MessageContent.newBuilder().setText(Text.newBuilder().setText("still here?"))))
                        .build());
                assertThat(reply.getCode()).isEqualTo(200);
            }

            server.restart();

            assertThat(server.admin().call("GET", "/api/v1/apps/1/users/2", null).body().get("nickname").asText())
                    .isEqualTo("bob");
            try (var bob = WsClient.connect(server.wsUrl())) {
                bob.sign(1, 2, 1, tokenOfBob);
                var list = WsClient.parse(bob.request("getconversationlist", ConversationReq.getDefaultInstance()),
                        ConversationResp.parser());
                assertThat(list.getConversationCount()).isEqualTo(1);
                var conversation = list.getConversation(0);
                assertThat(conversation.getReceiveNum()).isEqualTo(1);
                assertThat(conversation.getMessagenewcontent()).isEqualTo("still here?");
                var sync = WsClient.parse(bob.request("sync", SyncReq.newBuilder()
                        .setConversationId(conversation.getId()).build()), SyncResp.parser());
                assertThat(sync.getMessagesList()).extracting(m -> m.getMessageBody().getMessageContent().getText()
                        .getText()).containsExactly("still here?");
            }
        }
    }
}

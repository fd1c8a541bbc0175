package io.imserver.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.TestServer;
import io.imserver.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import pb.Input;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageType;
import pb.SendMessage;
import pb.SyncReq;
import pb.SyncResp;
import pb.Text;

/** A device that stops reading is closed once its unsent pushes pile up; the sender and the store carry on. */
class SlowConsumerIT {
    // the close status 4002 cannot be observed by a client that does not read; the server's count shows the drop

    private static int connections(TestServer server) {
        var metrics = server.admin().call("GET", "/metrics", null, null).text();
        var line = metrics.lines().filter(l -> l.startsWith("im_connections ")).findFirst().orElseThrow();
        return (int) Double.parseDouble(line.substring("im_connections ".length()));
    }

    @Test
    void deviceThatStopsReading_isDropped_andLosesNothing() throws Exception {
        try (var server = TestServer.start()) {
            var admin = server.admin();
            admin.putApp(1, "app");
            admin.putUser(1, 1, "sender");
            admin.putUser(1, 2, "stuck");
            var token = admin.token(1, 2, 1, 3600);
            var closed = new CompletableFuture<Integer>();
            var signed = new CompletableFuture<Void>();
            // reads exactly one message (the sign reply), then never asks for more: the socket stops being read
            var stuck = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(server.wsUrl()), new WebSocket.Listener() {
                        @Override
                        public void onOpen(WebSocket ws) {
                            ws.request(1);
                        }

                        @Override
                        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                            signed.complete(null);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                            closed.complete(status);
                            return null;
                        }

                        @Override
                        public void onError(WebSocket ws, Throwable error) {
                            closed.complete(-1);
                        }
                    }).join();
            stuck.sendBinary(ByteBuffer.wrap(Input.newBuilder().setType("sign")
                    .addAuth(WsClient.auth(1, 2, 1, token)).build().toByteArray()), true).join();
            signed.get(10, TimeUnit.SECONDS);

            var text = "x".repeat(30_000);
            int sent = 0;
            try (var sender = server.signIn(1, 1, 1)) {
                // the stuck client does not read, so it cannot see the close: watch the server's connection count
                while (sent < 2_000 && (sent % 25 != 0 || connections(server) == 2)) {
                    var reply = sender.request("sendmessage", SendMessage.newBuilder().setReceiverType(1)
                            .setReceiverId(2).setMessageBody(MessageBody.newBuilder().setMessageType(MessageType.MT_TEXT)
                                    .setMessageContent(MessageContent.newBuilder().setText(Text.newBuilder().setText(text))))
                            .build());
                    assertThat(reply.getCode()).isEqualTo(200);
                    sent++;
                }
            }
            stuck.abort();
            assertThat(sent).as("messages sent before the stuck device was dropped").isLessThan(2_000);

            try (var back = server.signIn(1, 2, 1)) {
                var list = back.request("getconversationlist", null);
                var conversation = WsClient.parse(list, pb.ConversationResp.parser()).getConversation(0);
                assertThat(conversation.getLastSeq()).isEqualTo(sent);
                var page = WsClient.parse(back.request("sync", SyncReq.newBuilder()
                        .setConversationId(conversation.getId()).setAfterSeq(sent - 5).setLimit(10).build()),
                        SyncResp.parser());
                assertThat(page.getMessagesList()).extracting(m -> m.getSeq())
                        .containsExactly((long) sent - 4, (long) sent - 3, (long) sent - 2, (long) sent - 1, (long) sent);
            }
        }
    }
}

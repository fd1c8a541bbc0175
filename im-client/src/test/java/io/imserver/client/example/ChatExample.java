package io.imserver.client.example;

import io.imserver.client.ClientResources;
import io.imserver.client.ImClient;
import io.imserver.client.ImClientOptions;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageItem;
import pb.MessageType;
import pb.Output;
import pb.SendMessage;
import pb.SyncReq;
import pb.SyncResp;
import pb.Text;

/**
 * The example of docs/CLIENT.md, compiled with nothing but im-client on the class path (this module's test
 * sources), so the documented code cannot drift from the library. Run it against a server:
 * {@code java ... ChatExample ws://127.0.0.1:9091/ws 1 1 1 TOKEN 2}.
 */
public final class ChatExample {
    private ChatExample() {
    }

    public static void main(String[] args) {
        String url = args[0];
        long appId = Long.parseLong(args[1]);
        long userId = Long.parseLong(args[2]);
        long deviceId = Long.parseLong(args[3]);
        String token = args[4];
        long peerId = Long.parseLong(args[5]);
        // --- docs/CLIENT.md example starts here
        try (var resources = ClientResources.create()) {          // one per process: the event loops all clients share
            var options = ImClientOptions.builder(url)
                    .identity(appId, userId, deviceId, token)          // token from POST /api/v1/apps/{id}/tokens
                    .build();                                          // heartbeat 10 s, reconnect 200 ms .. 10 s, jitter
            var client = ImClient.create(options, resources)
                    .onMessage((c, m) -> System.out.println(m.getSenderId() + ": "
                            + m.getMessageBody().getMessageContent().getText().getText()))
                    .onPush((c, out) -> {
                        if (out.getType().equals("kick")) {
                            System.out.println("signed in elsewhere");
                        }
                    })
                    .onStateChange((c, state, cause) -> System.out.println(state + (cause == null ? "" : " " + cause)));

            client.connect().join();                                   // completes after sign 200, else ImClientException

            MessageItem stored = client.sendMessage(SendMessage.newBuilder()
                    .setReceiverType(1).setReceiverId(peerId)
                    .setMessageBody(MessageBody.newBuilder().setMessageType(MessageType.MT_TEXT)
                            .setMessageContent(MessageContent.newBuilder().setText(Text.newBuilder().setText("hi"))))
                    .build()).join();                                  // the sender's stored record: id, conversation id, time

            SyncResp page = client.sync(SyncReq.newBuilder().setConversationId(stored.getConversationId())
                    .setReceiverType(1).setLimit(20).build()).join(); // newest first
            System.out.println(page.getMessagesCount() + " messages");

            Output raw = client.request("chatreadnum", null).join();   // any command: the raw reply, whatever its code
            System.out.println("chatreadnum: " + raw.getCode());
            client.closeAsync().join();
        }
        // --- docs/CLIENT.md example ends here
    }
}

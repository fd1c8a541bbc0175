package io.imserver.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.WsClient;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import pb.ConversationReq;
import pb.ConversationResp;

/** {@code --demo}: app 1, users 1-3 and one group, with a URL per user that signs in; seeding twice changes nothing. */
class DemoDataIT {

    @Test
    void demoUrls_signInAsUsers1To3_andTheGroupIsSeededOnce() throws Exception {
        var config = ServerConfig.builder().wsHost("127.0.0.1").wsPort(0).adminPort(0).grpcPort(0)
                .dataDir(Files.createTempDirectory("im-demo-")).adminToken("demo-admin-token-123456")
                .idleTimeout(Duration.ofSeconds(60)).build();
        try (var server = ImServer.start(config)) {
            var first = DemoData.seed(server.directory(), server.groups(), "127.0.0.1", server.wsPort());
            var again = DemoData.seed(server.directory(), server.groups(), "127.0.0.1", server.wsPort());
            assertThat(first).hasSize(3);
            assertThat(again).hasSize(3);
            for (int i = 0; i < 3; i++) {
                var query = URI.create(first.get(i)).getQuery();
                var params = new java.util.HashMap<String, String>();
                for (var pair : query.split("&")) {
                    var kv = pair.split("=", 2);
                    params.put(kv[0], kv[1]);
                }
                assertThat(params).containsEntry("app", "1").containsEntry("user", String.valueOf(i + 1));
                try (var client = WsClient.connect("ws://127.0.0.1:" + server.wsPort() + "/ws")) {
                    client.sign(1, i + 1, Long.parseLong(params.get("device")), params.get("token"));
                    var list = WsClient.parse(client.request("getconversationlist", ConversationReq.getDefaultInstance()),
                            ConversationResp.parser());
                    assertThat(list.getConversationList()).as("one demo group, seeded once")
                            .filteredOn(c -> c.getReceiverType() == 2).hasSize(1)
                            .first().extracting(c -> c.getUsername()).isEqualTo(DemoData.GROUP_NAME);
                }
            }
        }
    }
}

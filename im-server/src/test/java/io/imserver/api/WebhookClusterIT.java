package io.imserver.api;

import static io.imserver.testing.WebhookReceiver.delivered;
import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.TestServer;
import io.imserver.testing.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Two nodes on one PostgreSQL or MariaDB database share the outbox: every event is delivered by exactly one. */
class WebhookClusterIT {

    @Test
    void twoNodesOnOneDatabase_deliverEachEventOnce_inOrder() throws InterruptedException {
        try (var server = TestServer.start(); var receiver = new WebhookReceiver()) {
            var admin = server.admin();
            admin.putApp(1, "app");
            admin.putUser(1, 1, "a");
            admin.putUser(1, 2, "b");
            assertThat(admin.call("PUT", "/api/v1/apps/1/webhook", Map.of("url", receiver.url(),
                    "events", List.of("message.stored"))).status()).isEqualTo(200);
            try (var second = server.startSecondNode()) {
                for (int i = 0; i < 40; i++) {
                    var sent = admin.call("POST", "/api/v1/apps/1/messages", Map.of("sender_type", 2, "sender_id", 1,
                            "receiver_type", 1, "receiver_id", i % 2 == 0 ? 2 : 1, "text", "m" + i));
                    assertThat(sent.status()).as(sent.text()).isEqualTo(200);
                }
                receiver.await(c -> delivered(c, "message.stored").size() >= 40, Duration.ofSeconds(30));
                Thread.sleep(1000); // a second delivery of any event would arrive by now
            }
            var stored = delivered(receiver.calls(), "message.stored");
            assertThat(stored).hasSize(40);
            assertThat(stored.stream().map(WebhookReceiver.Call::deliveryId).distinct()).hasSize(40);
            // per conversation (the 1-2 pair, the 1-1 self chat) the events arrive in send order
            var byPair = stored.stream().collect(Collectors.groupingBy(
                    c -> c.json().path("message").path("receiver_id").asLong(),
                    Collectors.mapping(c -> Integer.parseInt(WebhookIT.textOf(c.json()).substring(1)),
                            Collectors.toList())));
            assertThat(byPair.get(2L)).isSorted();
            assertThat(byPair.get(1L)).isSorted();
        }
    }
}

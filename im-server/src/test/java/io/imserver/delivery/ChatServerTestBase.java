package io.imserver.delivery;

import io.imserver.testing.Chat;
import io.imserver.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** One real server per test class ({@code PER_CLASS} lifecycle) with the app of {@link Chat}; tests make fresh users. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChatServerTestBase {
    TestServer server;

    @BeforeAll
    void startServer() {
        server = TestServer.start();
        Chat.setUp(server);
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }
}

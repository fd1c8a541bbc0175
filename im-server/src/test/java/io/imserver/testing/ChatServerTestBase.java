package io.imserver.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** One real server per test class ({@code PER_CLASS} lifecycle) with the app of {@link Chat}; tests make fresh users. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ChatServerTestBase {
    protected TestServer server;

    @BeforeAll
    protected void startServer() {
        server = TestServer.start();
        Chat.setUp(server);
    }

    @AfterAll
    protected void stopServer() {
        if (server != null) {
            server.close();
        }
    }
}

package io.imserver.app;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one server node from environment variables and flags ({@code --help} lists them). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(ConfigLoader.usage());
            return;
        }
        ServerConfig config;
        try {
            config = ConfigLoader.load(System.getenv(), args);
        } catch (IllegalArgumentException e) {
            System.err.println("im-server: invalid configuration: " + e.getMessage());
            System.err.print(ConfigLoader.usage());
            System.exit(2);
            return;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        var server = ImServer.start(config);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown")
                .unstarted(() -> stopWithin(server, config.shutdownTimeout(), log)));
        if (config.demo()) {
            var host = "0.0.0.0".equals(config.wsHost()) ? "localhost" : config.wsHost();
            var urls = DemoData.seed(server.directory(), server.groups(), host, server.wsPort());
            log.info("demo: app 1, users 1-3, group '{}'. Open one URL per browser tab:", DemoData.GROUP_NAME);
            urls.forEach(url -> System.out.println("  " + url));
        }
        Thread.currentThread().join();
    }

    /** Drains and closes the node; a node that has not stopped by {@code limit} (a hung close) exits anyway. */
    private static void stopWithin(ImServer server, java.time.Duration limit, Logger log) {
        var closing = Thread.ofPlatform().name("shutdown-close").daemon(true).start(server::close);
        try {
            if (!closing.join(limit)) {
                log.error("not stopped within {} (IM_SHUTDOWN_TIMEOUT_S): exiting anyway", limit);
                Runtime.getRuntime().halt(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.imserver.bench;

import java.util.List;

/** What the benchmark drives: a server node it started, a running node, or the built-in bare relay. */
interface Target extends AutoCloseable {
    /** WebSocket URLs of the node(s); clients are spread over them round-robin. */
    List<String> wsUrls();

    /** The admin API, or null (the relay has none: it accepts any token). */
    AdminApi admin();

    /** The server's process id when the benchmark started it (for JFR and a forced GC), else -1. */
    long pid();

    /** True for the real server (storage, sync); false for the relay. */
    boolean isServer();

    String describe();

    @Override
    void close();
}

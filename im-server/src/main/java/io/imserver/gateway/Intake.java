package io.imserver.gateway;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's intake of commands, shared by every connection: whether connections may read more frames, and how
 * many commands read are not answered yet. A drain closes it and waits until nothing read is unanswered.
 */
final class Intake {
    private volatile boolean open = true;
    private final AtomicInteger unanswered = new AtomicInteger();

    boolean isOpen() {
        return open;
    }

    /** From now on no connection resumes reading. */
    void close() {
        open = false;
    }

    void received() {
        unanswered.incrementAndGet();
    }

    void answered() {
        unanswered.decrementAndGet();
    }

    int unanswered() {
        return unanswered.get();
    }
}

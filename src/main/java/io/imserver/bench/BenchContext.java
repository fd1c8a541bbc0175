package io.imserver.bench;

import io.imserver.client.ClientResources;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** What every scenario shares: options, the client threads, progress output, the results directory, the run id. */
final class BenchContext {
    final BenchOptions options;
    final ClientResources resources;
    final Progress progress;
    final Path out;
    /** Tells this run's messages from older ones in the same database. */
    final long runId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);

    /** Starts the server profile of the running scenario (set by the main loop when --jfr is on). */
    volatile Runnable profileStart = () -> { };

    /** Called by a scenario when its setup (users, tokens, groups) is done and the measured part begins. */
    void measuredPartBegins() {
        var start = profileStart;
        profileStart = () -> { };
        start.run();
    }

    BenchContext(BenchOptions options, ClientResources resources, Progress progress, Path out) {
        this.options = options;
        this.resources = resources;
        this.progress = progress;
        this.out = out;
    }
}

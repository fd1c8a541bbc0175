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

    private final java.util.Set<Target> warmed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * The warm-up of the next phase against {@code target}: the first phase against a target also gets
     * {@code --jit-warmup}, so that neither this JVM nor a freshly started server is measured while its JIT is still
     * compiling the hot paths.
     */
    double warmupSeconds(Target target) {
        return options.warmupSeconds + (warmed.add(target) ? options.jitWarmupSeconds : 0);
    }

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

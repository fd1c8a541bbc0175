package io.imserver.bench;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * The live counters of one message phase and the common measurement: start the load, warm up, measure for the
 * duration (latencies, deliveries, server and client CPU), stop the load, drain outstanding acks and pushes.
 */
final class PhaseRun {
    final String scenario;
    final String name;
    final boolean closedLoop;
    final DeliveryVerifier verifier = new DeliveryVerifier();
    final LatencyRecorder ack = new LatencyRecorder();
    final LatencyRecorder push = new LatencyRecorder();
    final LatencyRecorder fanout = new LatencyRecorder();
    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final AtomicIntegerArray inflight;
    final Timeline timeline;
    private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
    volatile boolean running = true;
    volatile boolean measuring;
    /** This phase's warm-up (set before the load starts). */
    volatile double warmupSeconds;

    // results of measure()
    double seconds;
    double deliveriesPerSec;
    double ackedPerSec;
    double serverCpuPct = Double.NaN;
    double benchCpuPct = Double.NaN;
    StoreTimes.Breakdown store;
    long endNanos;
    /** Acks after this do not count as lost when undelivered (the run ended with messages in flight). */
    long cutoffNanos = Long.MAX_VALUE;

    PhaseRun(String scenario, String name, boolean closedLoop, int senders) {
        this.scenario = scenario;
        this.name = name;
        this.closedLoop = closedLoop;
        this.inflight = new AtomicIntegerArray(senders);
        this.timeline = new Timeline(System.nanoTime(), 3600);
    }

    void error(Throwable t) {
        errors.computeIfAbsent(Fleet.errorKey(t), k -> new LongAdder()).increment();
    }

    void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    Map<String, Long> errors() {
        var out = new TreeMap<String, Long>();
        errors.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /**
     * Runs the phase: {@code start} begins the load (and returns at once), then warm-up, the measured window, stop
     * ({@link #running} false; {@code stop} is also called, e.g. to join an open-loop pacer), and the drain until
     * {@code drained} holds or the drain time passes.
     */
    void measure(BenchContext ctx, Target target, Runnable start, Runnable stop, BooleanSupplier drained) {
        var o = ctx.options;
        var progress = ctx.progress;
        long phaseStart = System.nanoTime();
        progress.ticker(() -> String.format("%s %s: t=%.0fs sent=%d acked=%d delivered=%d failed=%d%s p99 push=%.1f ms",
                scenario, name, (System.nanoTime() - phaseStart) / 1e9, sent.sum(), acked.sum(), delivered.sum(),
                failed.sum(), measuring ? "" : " (warm-up/drain)", push.summary().p99Ms()));
        double warmup = ctx.warmupSeconds(target);
        warmupSeconds = warmup;
        if (warmup > o.warmupSeconds) {
            progress.status(String.format("%s %s: first phase against this target: %.0f s warm-up (JIT)", scenario,
                    name, warmup));
        }
        start.run();
        sleep(warmup);
        ack.reset();
        push.reset();
        fanout.reset();
        var r0 = read(target);
        long cpu0 = selfCpuNanos();
        long d0 = delivered.sum();
        long a0 = acked.sum();
        long t0 = System.nanoTime();
        measuring = true;
        sleep(o.durationSeconds);
        measuring = false;
        long t1 = System.nanoTime();
        long d1 = delivered.sum();
        long a1 = acked.sum();
        long cpu1 = selfCpuNanos();
        var r1 = read(target);
        running = false;
        stop.run();
        long drainEnd = System.nanoTime() + (long) (o.drainSeconds * 1e9);
        while (!drained.getAsBoolean() && System.nanoTime() < drainEnd) {
            sleep(0.05);
        }
        endNanos = System.nanoTime();
        if (!drained.getAsBoolean()) {
            // still in flight: what is acked from now on may miss its push only because the run ended; give what was
            // acked before now a grace period to arrive, and judge only that
            cutoffNanos = endNanos;
            sleep(2);
        }
        progress.stopTicker();
        seconds = (t1 - t0) / 1e9;
        deliveriesPerSec = (d1 - d0) / seconds;
        ackedPerSec = (a1 - a0) / seconds;
        benchCpuPct = 100.0 * (cpu1 - cpu0) / (t1 - t0);
        if (r0 != null && r1 != null) {
            serverCpuPct = r1.sample().cpuPercentSince(r0.sample());
            store = r1.store().since(r0.store());
        }
        if (cutoffNanos != Long.MAX_VALUE) {
            progress.status(String.format("  %s %s: not drained after %.0f s (sent %d, acked %d, failed %d, delivered %d)",
                    scenario, name, o.drainSeconds, sent.sum(), acked.sum(), failed.sum(), delivered.sum()));
        }
        progress.status(String.format("%s %s: %.0f deliveries/s, %.0f acks/s, push p50/p99/p99.9 %s, errors %s",
                scenario, name, deliveriesPerSec, ackedPerSec, Report.latencies(push.summary()), errors()));
    }

    /** One reading of the target's {@code /metrics}: its sample and (its first node's) store histograms. */
    private record Reading(ServerSample sample, StoreTimes store) {
    }

    /** The target's metrics read once; null for the relay or when they cannot be read. */
    private static Reading read(Target target) {
        if (target.admin() == null) {
            return null;
        }
        try {
            var text = target.admin().metricsText();
            return new Reading(target.admin().sample(text), StoreTimes.parse(text));
        } catch (RuntimeException e) {
            return null;
        }
    }

    static long selfCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    static void sleep(double seconds) {
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    PhaseResult result(int connections, int senders, int window, int targetRate,
                       PhaseResult.Verification verification) {
        return new PhaseResult(scenario, name, connections, senders, window, targetRate, seconds, sent.sum(),
                acked.sum(), failed.sum(), skipped.sum(), delivered.sum(), deliveriesPerSec, ackedPerSec,
                ack.summary(), push.summary(), fanout.histogram().getTotalCount() == 0 ? null : fanout.summary(),
                errors(), serverCpuPct, benchCpuPct, timeline.perSecond(endNanos), verification, null, store);
    }
}

package io.imserver.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/** Counts events per second since a start time, from any thread: the throughput-over-time series of a phase. */
public final class Timeline {
    private final AtomicLongArray buckets;
    private final long startNanos;
    private volatile int last = -1;

    public Timeline(long startNanos, int maxSeconds) {
        this.startNanos = startNanos;
        this.buckets = new AtomicLongArray(Math.max(1, maxSeconds));
    }

    /** Counts one event at {@code nanos} (a {@link System#nanoTime()} value); events outside the range are dropped. */
    public void tick(long nanos) {
        add(nanos, 1);
    }

    public void add(long nanos, long n) {
        long second = Math.floorDiv(nanos - startNanos, 1_000_000_000L);
        if (second >= 0 && second < buckets.length()) {
            buckets.addAndGet((int) second, n);
            if (second > last) {
                last = (int) second;
            }
        }
    }

    /** Events per second for each whole second from the start up to {@code untilNanos} (exclusive of a partial one). */
    public long[] perSecond(long untilNanos) {
        int seconds = (int) Math.min(buckets.length(), Math.max(0, (untilNanos - startNanos) / 1_000_000_000L));
        var out = new long[seconds];
        for (int i = 0; i < seconds; i++) {
            out[i] = buckets.get(i);
        }
        return out;
    }
}

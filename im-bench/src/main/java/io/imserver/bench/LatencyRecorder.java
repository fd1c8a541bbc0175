package io.imserver.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records latencies from any number of threads without locks (HdrHistogram's {@link Recorder}, 3 significant
 * digits, microsecond resolution, any range) and summarises them.
 *
 * <p>{@link #reset()} drops what was recorded so far (end of a warm-up); {@link #summary()} covers everything since
 * the last reset and may be called repeatedly (e.g. for progress lines).
 */
public final class LatencyRecorder {
    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(3);
    private Histogram interval;

    /** Records one latency given in nanoseconds; negative values (clock oddities) count as 0. */
    public void recordNanos(long nanos) {
        recorder.recordValue(Math.max(0, nanos / 1000));
    }

    /** Records one latency given in microseconds. */
    public void recordMicros(long micros) {
        recorder.recordValue(Math.max(0, micros));
    }

    /** Forgets everything recorded so far. */
    public synchronized void reset() {
        interval = recorder.getIntervalHistogram(interval);
        total.reset();
    }

    /** A copy of everything recorded since the last reset (values in microseconds). */
    public synchronized Histogram histogram() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return total.copy();
    }

    public LatencySummary summary() {
        return LatencySummary.ofMicros(histogram());
    }
}

package io.imserver.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void percentiles_ofUniformValues_areWithinHdrPrecision() {
        var r = new LatencyRecorder();
        for (int ms = 1; ms <= 1000; ms++) {
            r.recordNanos(ms * 1_000_000L);
        }
        var s = r.summary();
        assertThat(s.count()).isEqualTo(1000);
        assertThat(s.p50Ms()).isCloseTo(500, within(1.0));
        assertThat(s.p90Ms()).isCloseTo(900, within(1.0));
        assertThat(s.p99Ms()).isCloseTo(990, within(1.0));
        assertThat(s.p999Ms()).isCloseTo(999, within(1.0));
        assertThat(s.maxMs()).isCloseTo(1000, within(1.0));
        assertThat(s.meanMs()).isCloseTo(500.5, within(1.0));
    }

    @Test
    void aTailOfSlowValues_showsInTheHighPercentilesOnly() {
        var r = new LatencyRecorder();
        for (int i = 0; i < 990; i++) {
            r.recordMicros(1_000);
        }
        for (int i = 0; i < 10; i++) {
            r.recordMicros(250_000);
        }
        var s = r.summary();
        assertThat(s.p50Ms()).isCloseTo(1, within(0.01));
        assertThat(s.p99Ms()).isCloseTo(1, within(0.01));
        assertThat(s.p999Ms()).isCloseTo(250, within(0.5));
    }

    @Test
    void reset_dropsTheWarmUp_andSummaryCanBeTakenRepeatedly() {
        var r = new LatencyRecorder();
        r.recordMicros(5_000_000);
        r.reset();
        r.recordMicros(2_000);
        assertThat(r.summary().count()).isEqualTo(1);
        r.recordMicros(4_000);
        var s = r.summary();
        assertThat(s.count()).isEqualTo(2);
        assertThat(s.maxMs()).isCloseTo(4, within(0.01));
    }

    @Test
    void negativeValues_countAsZero_andEmptyIsAllZero() {
        var r = new LatencyRecorder();
        assertThat(r.summary()).isEqualTo(LatencySummary.EMPTY);
        r.recordNanos(-5);
        assertThat(r.summary().count()).isEqualTo(1);
        assertThat(r.summary().maxMs()).isZero();
    }

    @Test
    void recordsFromManyThreads_areAllCounted() throws Exception {
        var r = new LatencyRecorder();
        var threads = new ArrayList<Thread>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 50_000; i++) {
                    r.recordMicros(i % 1000);
                    if (i % 10_000 == 0) {
                        r.summary();
                    }
                }
            }));
        }
        for (var t : threads) {
            t.join();
        }
        assertThat(r.summary().count()).isEqualTo(200_000);
    }

    @Test
    void timeline_countsPerWholeSecond() {
        long start = 1_000_000_000L;
        var t = new Timeline(start, 10);
        t.tick(start);
        t.tick(start + 999_999_999L);
        t.tick(start + 1_000_000_000L);
        t.add(start + 2_500_000_000L, 5);
        t.tick(start - 1);
        t.tick(start + 20_000_000_000L);
        assertThat(t.perSecond(start + 3_000_000_000L)).containsExactly(2, 1, 5);
        assertThat(t.perSecond(start + 2_900_000_000L)).containsExactly(2, 1);
    }
}

package io.imserver.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A phase's store figures from two readings of the server's {@code /metrics}: no server. */
class StoreTimesTest {

    /** A histogram in the server's exposition format: cumulative counts at bounds 0.001, 0.002, 0.005, +Inf s. */
    private static String histogram(String name, long le1, long le2, long le5, long all) {
        return "# TYPE " + name + " histogram\n"
                + name + "_bucket{le=\"0.001\"} " + le1 + "\n"
                + name + "_bucket{le=\"0.002\"} " + le2 + "\n"
                + name + "_bucket{le=\"0.005\"} " + le5 + "\n"
                + name + "_bucket{le=\"+Inf\"} " + all + "\n"
                + name + "_count " + all + "\n";
    }

    private static String metrics(long le1, long le2, long le5, long all) {
        return "im_connections 200\n" + histogram(StoreTimes.WRITE, le1, le2, le5, all)
                + histogram(StoreTimes.QUEUED, le1, le2, le5, all)
                + histogram(StoreTimes.COMMITTING, le1, le2, le5, all)
                + histogram(StoreTimes.COMPLETING, le1, le2, le5, all)
                + histogram(StoreTimes.COMMIT, le1, le2, le5, all)
                + histogram(StoreTimes.COMMIT_CALL, le1, le2, le5, all);
    }

    @Test
    void since_countsOnlyWhatThePhaseAdded_andGivesTheBucketBoundsOfItsQuantiles() {
        // before the phase: 1,000 fast writes; the phase adds 60 under 1 ms, 30 under 2 ms, 8 under 5 ms, 2 slower
        var before = StoreTimes.parse(metrics(1000, 1000, 1000, 1000));
        var after = StoreTimes.parse(metrics(1060, 1090, 1098, 1100));

        var phase = after.since(before);

        assertThat(phase.writes()).isEqualTo(100);
        assertThat(phase.write().p50()).isEqualTo(1.0);
        assertThat(phase.write().p99()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(phase.commitCall().count()).isEqualTo(100);
        assertThat(phase.batch().count()).isZero(); // the server exposed no batch histogram
    }

    @Test
    void since_isNull_forATargetWithoutStoreHistograms() {
        var relay = StoreTimes.parse("im_connections 200\n");

        assertThat(relay.since(relay)).isNull();
    }

    @Test
    void markdown_listsEachPhaseWithStoreFigures_andNothingForTheRelay() {
        var phase = StoreTimes.parse(metrics(1098, 1099, 1100, 1100)).since(StoreTimes.parse(metrics(1000, 1000,
                1000, 1000)));
        var delivery = new DeliveryVerifier().verify(Long.MAX_VALUE, (key, r) -> false);
        var push = new LatencySummary(100, 1, 1, 2, 3.5, 4, 5);
        var server = new PhaseResult("direct", "open-2000", 10, 10, 64, 2000, 2, 100, 100, 0, 0, 100, 50, 50, push,
                push, null, Map.of(), Double.NaN, Double.NaN, new long[] {50},
                new PhaseResult.Verification(delivery, null, "fake", true), null, phase);
        var relay = new PhaseResult("baseline", "open-2000", 10, 10, 64, 2000, 2, 100, 100, 0, 0, 100, 50, 50, push,
                push, null, Map.of(), Double.NaN, Double.NaN, new long[] {50},
                new PhaseResult.Verification(delivery, null, "fake", true), null, null);

        var md = StoreTimes.markdown(List.of(relay, server));

        assertThat(md).contains("| direct open-2000 | 3.50 | 100 | 1.00 / 2.00 | 1.00 / 2.00 | 1.00 / 2.00"
                + " | 1.00 / 2.00 | 1.00 / 2.00 | - |")
                .doesNotContain("baseline");
        assertThat(StoreTimes.markdown(List.of(relay))).isEmpty();
    }
}

package io.imserver.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep's table and chart from made-up phases: no server, no load. */
class LatencySweepTest {

    private static LatencySummary latency(double p50, double p99, double p999) {
        return new LatencySummary(1000, p50, p50, p99 * 0.8, p99, p999, p999 * 2);
    }

    private static PhaseResult open(String scenario, String phase, int rate, LatencySummary push, boolean ok) {
        var delivery = new DeliveryVerifier().verify(Long.MAX_VALUE, (key, r) -> false);
        return new PhaseResult(scenario, phase, 10, 10, 64, rate, 2, rate * 2L, rate * 2L, 0, 0, rate * 2L,
                rate * 0.99, rate * 0.99, push, push, null, Map.of(), Double.NaN, Double.NaN, new long[] {rate},
                new PhaseResult.Verification(delivery, null, "fake", ok), null, null);
    }

    private static List<PhaseResult> sweepOf500And2000() {
        return List.of(
                open("baseline", "closed", 0, latency(1, 2, 3), true),
                open("baseline", "open-500", 500, latency(0.5, 1.5, 2.5), true),
                open("baseline", "open-2000", 2000, latency(0.6, 1.8, 3.1), true),
                open("direct", "closed", 0, latency(5, 9, 12), true),
                open("direct", "open-2000", 2000, latency(2.2, 14.5, 30), false),
                open("direct", "open-500", 500, latency(1.1, 3.3, 7.7), true));
    }

    @Test
    void rows_pairServerAndRelayByRate_inRateOrder() {
        var rows = LatencySweep.rows(sweepOf500And2000());

        assertThat(rows).extracting(LatencySweep.Row::rate).containsExactly(500, 2000);
        var first = rows.get(0);
        assertThat(first.server().p99Ms()).isEqualTo(3.3);
        assertThat(first.relay().p99Ms()).isEqualTo(1.5);
        assertThat(first.deliveredPerSec()).isEqualTo(495.0);
        assertThat(first.verified()).isTrue();
        assertThat(rows.get(1).verified()).as("the server's phase at 2000 failed verification").isFalse();
    }

    @Test
    void rows_areEmpty_withoutASweep() {
        var plain = List.of(open("direct", "open", 10_000, latency(1, 2, 3), true),
                open("baseline", "open", 10_000, latency(1, 2, 3), true));
        assertThat(LatencySweep.rows(plain)).isEmpty();
        assertThat(LatencySweep.markdown(List.of())).isEmpty();
    }

    @Test
    void rows_withoutTheRelay_leaveItsColumnEmpty() {
        var rows = LatencySweep.rows(List.of(open("direct", "open-500", 500, latency(1.1, 3.3, 7.7), true)));
        assertThat(rows).singleElement().satisfies(r -> assertThat(r.relay()).isNull());
        assertThat(LatencySweep.markdown(rows)).contains("| 500 | 1.10 / 3.30 / 7.70 | - | 495 | yes |");
    }

    @Test
    void markdown_isATableOfOneLinePerRate() {
        var md = LatencySweep.markdown(LatencySweep.rows(sweepOf500And2000()));

        assertThat(md).contains("## Latency sweep",
                "| rate | server p50 / p99 / p99.9 | relay p50 / p99 / p99.9 | delivered/s | verified |",
                "| 500 | 1.10 / 3.30 / 7.70 | 0.50 / 1.50 / 2.50 | 495 | yes |",
                "| 2,000 | 2.20 / 14.5 / 30.0 | 0.60 / 1.80 / 3.10 | 1,980 | **NO** |");
    }

    @Test
    void chart_isWrittenAndListedWithTheOtherCharts(@TempDir Path dir) throws Exception {
        var charts = Report.charts(sweepOf500And2000(), null, dir);

        assertThat(charts).contains(LatencySweep.CHART);
        assertThat(dir.resolve("latency-sweep.png")).exists();
        assertThat(Files.size(dir.resolve("latency-sweep.png"))).isPositive();
    }

    @Test
    void chart_isNotDrawn_withoutASweep(@TempDir Path dir) throws Exception {
        var charts = Report.charts(List.of(open("direct", "open", 10_000, latency(1, 2, 3), true)), null, dir);

        assertThat(charts).doesNotContain(LatencySweep.CHART);
        assertThat(dir.resolve("latency-sweep.png")).doesNotExist();
    }
}

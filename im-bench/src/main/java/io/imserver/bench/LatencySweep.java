package io.imserver.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The latency sweep ({@code --rates}): the open-loop phases of {@code direct} (server) and {@code baseline} (relay),
 * one per rate, side by side as a table and a chart of p99 send->push against the rate.
 */
final class LatencySweep {
    static final String CHART = "latency-sweep.png";
    private static final String PHASE_PREFIX = "open-";

    /**
     * One rate of the sweep.
     *
     * @param rate msgs/s offered
     * @param server send->push of the server ({@code direct}), or null when it did not run at this rate
     * @param relay send->push of the relay ({@code baseline}), or null when it did not run at this rate
     * @param deliveredPerSec pushes/s of the server in the measured window (NaN: no server phase)
     * @param relayDeliveredPerSec pushes/s of the relay (NaN: no relay phase)
     * @param verified every phase of this rate delivered and stored every acknowledged message exactly once
     */
    record Row(int rate, LatencySummary server, LatencySummary relay, double deliveredPerSec,
               double relayDeliveredPerSec, boolean verified) {
    }

    private LatencySweep() {
    }

    /** The sweep's rows by ascending rate; empty when the run had no sweep (its open phase is plain "open"). */
    static List<Row> rows(List<PhaseResult> phases) {
        var server = new TreeMap<Integer, PhaseResult>();
        var relay = new TreeMap<Integer, PhaseResult>();
        for (var p : phases) {
            if (!p.phase().startsWith(PHASE_PREFIX)) {
                continue;
            }
            switch (p.scenario()) {
                case "direct" -> server.put(p.targetRate(), p);
                case "baseline" -> relay.put(p.targetRate(), p);
                default -> { }
            }
        }
        var rates = new TreeMap<Integer, Boolean>();
        server.keySet().forEach(r -> rates.put(r, true));
        relay.keySet().forEach(r -> rates.put(r, true));
        var out = new ArrayList<Row>();
        for (int rate : rates.keySet()) {
            var s = server.get(rate);
            var b = relay.get(rate);
            boolean verified = (s == null || s.verification().ok()) && (b == null || b.verification().ok());
            out.add(new Row(rate, s == null ? null : s.push(), b == null ? null : b.push(),
                    s == null ? Double.NaN : s.deliveriesPerSec(), b == null ? Double.NaN : b.deliveriesPerSec(),
                    verified));
        }
        return out;
    }

    /** The results.md section: one line per rate; empty for no rows. */
    static String markdown(List<Row> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        var sb = new StringBuilder("\n## Latency sweep\n\n");
        sb.append("Send->push latency in ms as p50 / p99 / p99.9 of the open loop at each rate offered; relay = the "
                + "bare relay (baseline) at the same rate with the same clients; delivered/s = the server's pushes/s. "
                + "Verified: every acknowledged message pushed once (and, on the server, stored once).\n\n");
        sb.append("| rate | server p50 / p99 / p99.9 | relay p50 / p99 / p99.9 | delivered/s | verified |\n");
        sb.append("|---:|---|---|---:|---|\n");
        for (var r : rows) {
            sb.append("| ").append(Report.n(r.rate())).append(" | ").append(Report.latencies(r.server()))
                    .append(" | ").append(Report.latencies(r.relay())).append(" | ")
                    .append(Double.isNaN(r.deliveredPerSec()) ? "-" : Report.n(r.deliveredPerSec())).append(" | ")
                    .append(r.verified() ? "yes" : "**NO**").append(" |\n");
        }
        return sb.toString();
    }

    /**
     * Draws p99 send->push against the rate (server and relay series) into {@code dir}; returns the file name, or
     * null when no phase recorded a latency (a chart without series cannot be drawn).
     */
    static String chart(List<Row> rows, Path dir) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title("p99 send -> push latency by rate (open loop)")
                .xAxisTitle("msgs/s offered").yAxisTitle("p99 ms (log scale)").build();
        var styler = chart.getStyler();
        styler.setYAxisLogarithmic(true);
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setMarkerSize(8);
        boolean drawn = addP99Series(chart, "server (direct)", rows, true);
        drawn |= addP99Series(chart, "relay (baseline)", rows, false);
        if (!drawn) {
            return null;
        }
        BitmapEncoder.saveBitmap(chart, dir.resolve(CHART).toString(), BitmapEncoder.BitmapFormat.PNG);
        return CHART;
    }

    private static boolean addP99Series(XYChart chart, String name, List<Row> rows, boolean server) {
        var xs = new ArrayList<Double>();
        var ys = new ArrayList<Double>();
        for (var r : rows) {
            var s = server ? r.server() : r.relay();
            if (s != null && s.count() > 0) {
                xs.add((double) r.rate());
                // a log axis cannot draw 0
                ys.add(Math.max(0.01, s.p99Ms()));
            }
        }
        if (xs.isEmpty()) {
            return false;
        }
        chart.addSeries(name, xs, ys);
        return true;
    }
}

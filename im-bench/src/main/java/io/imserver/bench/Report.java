package io.imserver.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** The results of a run and their outputs: results.json, results.md and PNG charts. */
final class Report {
    /**
     * One target of issue 5 and how this run did.
     *
     * @param verdict met, not met, or not measured
     */
    record TargetCheck(String measure, String target, String measured, String verdict, String note) {
    }

    /** Everything a run produced. */
    record BenchReport(String startedAt, String finishedAt, String command, Machine machine, String target,
                       String serverJavaOpts, Map<String, Object> options, List<PhaseResult> phases,
                       List<LatencySweep.Row> sweep, ConnectionsResult connections,
                       Map<String, JfrProfile> profiles, List<String> failures,
                       List<TargetCheck> targets, List<String> charts) {
    }

    private Report() {
    }

    static String latencies(LatencySummary s) {
        if (s == null || s.count() == 0) {
            return "-";
        }
        return f(s.p50Ms()) + " / " + f(s.p99Ms()) + " / " + f(s.p999Ms());
    }

    static String f(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String n(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String mib(double bytes) {
        return Double.isNaN(bytes) ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576);
    }

    /** Compares each direct/group phase with the baseline phase of the same loop. */
    static List<PhaseResult> withRatios(List<PhaseResult> phases) {
        var base = new LinkedHashMap<String, PhaseResult>();
        phases.stream().filter(p -> p.scenario().equals("baseline")).forEach(p -> base.put(p.phase(), p));
        var out = new ArrayList<PhaseResult>();
        for (var p : phases) {
            if (p.scenario().equals("baseline")) {
                out.add(p);
                continue;
            }
            var b = base.get(p.scenario().equals("group") ? "closed" : p.phase());
            if (b == null || b.deliveriesPerSec() <= 0) {
                out.add(p);
                continue;
            }
            Double p99 = null;
            if (p.scenario().equals("direct") && b.push().p99Ms() > 0) {
                p99 = p.push().p99Ms() / b.push().p99Ms();
            }
            out.add(p.withRatio(new PhaseResult.Ratio(p.deliveriesPerSec() / b.deliveriesPerSec(), p99,
                    "baseline " + b.phase())));
        }
        return out;
    }

    /** The child node's database engine by its URL: sqlite (the embedded default), postgresql, mariadb, or as given. */
    static String engine(String dbUrl) {
        if (dbUrl == null || dbUrl.startsWith("jdbc:sqlite:")) {
            return "sqlite";
        }
        if (dbUrl.startsWith("jdbc:postgresql:")) {
            return "postgresql";
        }
        if (dbUrl.startsWith("jdbc:mariadb:") || dbUrl.startsWith("jdbc:mysql:")) {
            return "mariadb";
        }
        return dbUrl;
    }

    /** @param engine the server's database ({@link #engine}): the 1:1 target is that of the embedded default or of an outside database */
    static List<TargetCheck> targets(List<PhaseResult> phases, ConnectionsResult c, String engine) {
        return targets(phases, c, engine, 1);
    }

    /** @param nodes how many cluster nodes the run started (1: a single node) */
    static List<TargetCheck> targets(List<PhaseResult> phases, ConnectionsResult c, String engine, int nodes) {
        var out = new ArrayList<TargetCheck>();
        if (c == null) {
            out.add(new TargetCheck("idle signed-in connections, one server process", "19,000", "-", "not measured",
                    "run the connections scenario"));
            out.add(new TargetCheck("connect rate", ">= 2,000 sign-ins/s", "-", "not measured", ""));
        } else {
            boolean all = c.signedIn() >= 19_000 && c.failed() == 0;
            out.add(new TargetCheck("idle signed-in connections, one server process", "19,000",
                    n(c.signedIn()) + " signed in, " + c.failed() + " failed, " + c.disconnects() + " dropped",
                    verdict(all), c.requested() < 19_000 ? "run asked for " + c.requested() : ""));
            double heap = Double.isNaN(c.heapAfterGcBytes()) ? c.after().heapUsedBytes() : c.heapAfterGcBytes();
            out.add(new TargetCheck("  heap with them", "<= 512 MiB", mib(c.after().heapUsedBytes()) + " used, "
                    + mib(c.heapAfterGcBytes()) + " live after GC", verdict(heap <= 512 * 1048576.0), ""));
            out.add(new TargetCheck("  RSS per connection", "<= 8 KiB", n(c.rssPerConnBytes()) + " B (RSS "
                    + mib(c.before().rssBytes()) + " -> " + mib(c.after().rssBytes()) + ")",
                    verdict(c.rssPerConnBytes() <= 8192), "RSS growth over the idle server, divided by connections"));
            out.add(new TargetCheck("  idle CPU", "< 10%", f(c.idleCpuPctOfMachine()) + "% of the machine ("
                    + f(c.idleCpuPctOfCore()) + "% of one core), heartbeat every " + c.heartbeatSeconds() + " s",
                    verdict(c.idleCpuPctOfMachine() < 10), ""));
            out.add(new TargetCheck("connect rate", ">= 2,000 sign-ins/s", n(c.signInsPerSec()) + " sign-ins/s",
                    verdict(c.signInsPerSec() >= 2000), c.processes() + " client process(es)"));
        }
        var closed = find(phases, "direct", "closed");
        boolean embedded = engine.equals("sqlite");
        out.add(closed == null || !embedded ? new TargetCheck("1:1 messages stored durably and delivered",
                ">= 20,000 msgs/s", "-", "not measured", embedded ? "" : "this run's server stores in " + engine)
                : new TargetCheck("1:1 messages stored durably and delivered", ">= 20,000 msgs/s",
                n(closed.deliveriesPerSec()) + " msgs/s (closed loop, " + closed.senders() + " senders x "
                        + closed.window() + ")", verdict(closed.deliveriesPerSec() >= 20_000
                        && closed.verification().ok()), closed.verification().ok() ? "verified" : "VERIFICATION FAILED"));
        var open = find(phases, "direct", "open");
        if (open == null) {
            // a sweep (--rates) names its open phases by rate
            open = find(phases, "direct", "open-10000");
        }
        if (open == null || !embedded) {
            out.add(new TargetCheck("  p99 send->push at half that rate", "<= 20 ms at 10,000 msgs/s", "-",
                    "not measured", ""));
        } else {
            boolean atRate = open.deliveriesPerSec() >= 0.95 * open.targetRate();
            out.add(new TargetCheck("  p99 send->push at half that rate", "<= 20 ms at 10,000 msgs/s",
                    f(open.push().p99Ms()) + " ms at " + n(open.targetRate()) + " msgs/s offered, "
                            + n(open.deliveriesPerSec()) + " delivered/s",
                    open.targetRate() < 10_000 ? "not measured" : verdict(open.push().p99Ms() <= 20 && atRate),
                    open.targetRate() < 10_000 ? "run with --rate 10000" : ""));
        }
        if (engine.equals("postgresql") || engine.equals("mariadb")) {
            out.add(closed == null ? new TargetCheck("same on MariaDB and PostgreSQL", ">= 10,000 msgs/s", "-",
                    "not measured", "")
                    : new TargetCheck("same on MariaDB and PostgreSQL", ">= 10,000 msgs/s",
                    n(closed.deliveriesPerSec()) + " msgs/s on " + engine + " (closed loop)",
                    verdict(closed.deliveriesPerSec() >= 10_000 && closed.verification().ok()),
                    closed.verification().ok() ? "verified" : "VERIFICATION FAILED"));
        } else {
            out.add(new TargetCheck("same on MariaDB and PostgreSQL", ">= 10,000 msgs/s", "-", "not measured",
                    "run with --server-db-url jdbc:postgresql://... or jdbc:mariadb://..."));
        }
        var g1000 = find(phases, "group", "size-1000");
        out.add(g1000 == null || g1000.fanout() == null
                ? new TargetCheck("group of 1,000 online members", "p99 <= 50 ms to all", "-", "not measured", "")
                : new TargetCheck("group of 1,000 online members", "p99 <= 50 ms to all",
                f(g1000.fanout().p99Ms()) + " ms p99 send->last member", verdict(g1000.fanout().p99Ms() <= 50
                && g1000.verification().ok()), ""));
        var g10 = find(phases, "group", "size-10");
        out.add(g10 == null ? new TargetCheck("groups of 10", ">= 30,000 deliveries/s", "-", "not measured", "")
                : new TargetCheck("groups of 10", ">= 30,000 deliveries/s", n(g10.deliveriesPerSec())
                + " deliveries/s (" + g10.senders() + " groups, window " + g10.window() + ")",
                verdict(g10.deliveriesPerSec() >= 30_000 && g10.verification().ok()), ""));
        out.add(closed == null || closed.ratio() == null
                ? new TargetCheck("ratio to the bare relay, same run", ">= 0.3", "-", "not measured",
                "run baseline and direct together")
                : new TargetCheck("ratio to the bare relay, same run", ">= 0.3", f(closed.ratio().throughput())
                + " (" + n(closed.deliveriesPerSec()) + " / " + n(closed.deliveriesPerSec() / closed.ratio().throughput())
                + " msgs/s)", verdict(closed.ratio().throughput() >= 0.3), "closed loop, same clients"));
        out.add(nodes < 3 || c == null
                ? new TargetCheck("cluster of 3 nodes", ">= 50,000 connections", "-", "not measured",
                "run connections with --nodes 3")
                : new TargetCheck("cluster of 3 nodes", ">= 50,000 connections", n(c.signedIn()) + " signed in on "
                + nodes + " nodes, " + c.failed() + " failed, " + c.disconnects() + " dropped",
                verdict(c.signedIn() >= 50_000 && c.failed() == 0), ""));
        return out;
    }

    private static String verdict(boolean met) {
        return met ? "met" : "not met";
    }

    private static PhaseResult find(List<PhaseResult> phases, String scenario, String phase) {
        return phases.stream().filter(p -> p.scenario().equals(scenario) && p.phase().equals(phase)).findFirst()
                .orElse(null);
    }

    static void write(BenchReport r, Path dir) throws IOException {
        Files.createDirectories(dir);
        var json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        json.writeValue(dir.resolve("results.json").toFile(), r);
        Files.writeString(dir.resolve("results.md"), markdown(r));
    }

    static String markdown(BenchReport r) {
        var sb = new StringBuilder();
        var m = r.machine();
        sb.append("# im-bench results\n\n");
        sb.append("- command: `").append(r.command()).append("`\n");
        sb.append("- started ").append(r.startedAt()).append(", finished ").append(r.finishedAt()).append('\n');
        sb.append("- machine: ").append(m.cores()).append(" cores (").append(m.cpuModel()).append("), ")
                .append(mib(m.memTotalBytes())).append(" memory, ").append(m.os()).append(", JDK ").append(m.jdk())
                .append("; load generator's collectors: ").append(m.generatorGc()).append('\n');
        sb.append("- load average at start: ").append(m.loadAtStart()).append("; at end: ").append(m.loadAtEnd())
                .append('\n');
        sb.append("- target: ").append(r.target()).append(r.serverJavaOpts() == null ? "" : " (IM_JAVA_OPTS="
                + r.serverJavaOpts() + ")").append("\n\n");
        if (!r.phases().isEmpty()) {
            sb.append("## Messages\n\n");
            sb.append("Latencies in ms as p50 / p99 / p99.9. Group rows: push = every delivery, fan-out = send to the "
                    + "last member. CPU in % of one core over the measured window (baseline: the relay runs inside "
                    + "the bench process).\n\n");
            sb.append("| scenario | load | conns | delivered/s | acked/s | send->ack | send->push | fan-out | "
                    + "server CPU | bench CPU | errors | verified | x baseline (throughput; p99 push) |\n");
            sb.append("|---|---|---:|---:|---:|---|---|---|---:|---:|---|---|---|\n");
            for (var p : r.phases()) {
                var load = p.targetRate() > 0 ? p.phase() + ", " + n(p.targetRate()) + "/s offered"
                        : p.phase() + ", " + p.senders() + " senders x " + p.window();
                var ratio = p.ratio() == null ? "-" : f(p.ratio().throughput())
                        + (p.ratio().pushP99() == null ? "" : "; " + f(p.ratio().pushP99()));
                long errs = p.errors().values().stream().mapToLong(Long::longValue).sum() + p.skipped();
                sb.append("| ").append(p.scenario()).append(" | ").append(load).append(" | ").append(p.connections())
                        .append(" | ").append(n(p.deliveriesPerSec())).append(" | ").append(n(p.ackedPerSec()))
                        .append(" | ").append(latencies(p.ack())).append(" | ").append(latencies(p.push()))
                        .append(" | ").append(latencies(p.fanout())).append(" | ").append(f(p.serverCpuPct()))
                        .append(" | ").append(f(p.benchCpuPct())).append(" | ").append(errs)
                        .append(" | ").append(p.verification().ok() ? "yes" : "**NO**").append(" | ").append(ratio)
                        .append(" |\n");
            }
            sb.append("\n### Verification\n\n");
            sb.append("Lost = acknowledged but not pushed to every recipient; in flight = acknowledged in the last moments "
                    + "of a run that ended with messages outstanding, not yet pushed (not counted as lost); missed "
                    + "(offline) = pushes to recipients whose connection dropped during the run (not counted as lost). "
                    + "Stored: acknowledged messages read back with `sync` (both copies for 1:1); conversations of "
                    + "dropped clients cannot be read back.\n\n");
            sb.append("| phase | sent | acked | failed | deliveries | duplicates | lost | extras | in flight | "
                    + "missed (offline) | stored: scope | stored: expected / found / missing / duplicates "
                    + "(unreadable) |\n");
            sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
            for (var p : r.phases()) {
                var d = p.verification().delivery();
                var s = p.verification().stored();
                sb.append("| ").append(p.label()).append(" | ").append(d.sent()).append(" | ").append(d.acked())
                        .append(" | ").append(d.failed()).append(" | ").append(d.deliveries()).append(" | ")
                        .append(d.duplicates()).append(" | ").append(d.lostDeliveries()).append(" | ")
                        .append(d.extras()).append(" | ").append(d.ackedLate()).append(" | ")
                        .append(d.missedOffline()).append(" | ")
                        .append(p.verification().storedScope()).append(" | ")
                        .append(s == null ? "-" : s.expected() + " / " + s.found() + " / " + s.missing() + " / "
                                + s.duplicates() + (s.unreadable() > 0 ? " (" + s.unreadable() + ")" : ""))
                        .append(" |\n");
            }
            var errors = new ArrayList<String>();
            for (var p : r.phases()) {
                if (!p.errors().isEmpty() || p.skipped() > 0) {
                    errors.add("- " + p.label() + ": " + p.errors() + (p.skipped() > 0 ? ", open-loop sends skipped "
                            + "(sender had too many in flight): " + p.skipped() : ""));
                }
                var samples = new ArrayList<String>(p.verification().delivery().samples());
                if (p.verification().stored() != null) {
                    samples.addAll(p.verification().stored().samples());
                }
                if (!samples.isEmpty()) {
                    errors.add("- " + p.label() + " verification samples: " + samples);
                }
            }
            if (!errors.isEmpty()) {
                sb.append("\nErrors:\n\n").append(String.join("\n", errors)).append('\n');
            }
        }
        sb.append(LatencySweep.markdown(r.sweep()));
        sb.append(StoreTimes.markdown(r.phases()));
        var c = r.connections();
        if (c != null) {
            sb.append("\n## Connections\n\n| measure | value |\n|---|---|\n");
            row(sb, "connections signed in / asked", c.signedIn() + " / " + c.requested() + " (" + c.failed()
                    + " failed, " + c.disconnects() + " dropped while idle)");
            row(sb, "client processes", Integer.toString(c.processes()));
            row(sb, "sign-in rate", n(c.signInsPerSec()) + " /s (" + f(c.seconds()) + " s for all)");
            row(sb, "connect+sign latency p50 / p99 / p99.9", latencies(c.signLatency()) + " ms");
            row(sb, "server CPU while signing in", f(c.serverCpuPctSigningIn()) + "% of one core");
            row(sb, "server RSS before -> with connections", mib(c.before().rssBytes()) + " -> "
                    + mib(c.after().rssBytes()));
            row(sb, "RSS per connection", n(c.rssPerConnBytes()) + " B");
            row(sb, "server heap used before -> with connections", mib(c.before().heapUsedBytes()) + " -> "
                    + mib(c.after().heapUsedBytes()) + " (committed " + mib(c.after().heapCommittedBytes()) + ")");
            row(sb, "heap live after full GC / per connection", mib(c.heapAfterGcBytes()) + " / "
                    + n(c.heapPerConnBytes()) + " B");
            row(sb, "server im_connections", n(c.after().connections()));
            row(sb, "server idle CPU over " + f(c.holdSeconds()) + " s (heartbeat " + c.heartbeatSeconds() + " s)",
                    f(c.idleCpuPctOfCore()) + "% of one core = " + f(c.idleCpuPctOfMachine()) + "% of the machine");
            row(sb, "server threads", n(c.after().threads()));
            if (!c.errors().isEmpty()) {
                row(sb, "errors", c.errors().toString());
            }
        }
        if (!r.targets().isEmpty()) {
            sb.append("\n## Targets of issue 5\n\n| measure | target | measured | verdict | note |\n|---|---|---|---|---|\n");
            for (var t : r.targets()) {
                sb.append("| ").append(t.measure()).append(" | ").append(t.target()).append(" | ").append(t.measured())
                        .append(" | ").append(t.verdict()).append(" | ").append(t.note()).append(" |\n");
            }
        }
        if (!r.failures().isEmpty()) {
            sb.append("\n## Failures\n\n");
            r.failures().forEach(f -> sb.append("- ").append(f).append('\n'));
        }
        if (!r.charts().isEmpty()) {
            sb.append("\n## Charts\n\n");
            r.charts().forEach(ch -> sb.append("![").append(ch).append("](").append(ch).append(")\n"));
        }
        if (!r.profiles().isEmpty()) {
            sb.append("\n## Server CPU profiles (JFR)\n\n");
            r.profiles().forEach((name, p) -> sb.append(p.toMarkdown(name)));
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String k, String v) {
        sb.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    /** Draws the charts into {@code dir}; returns their file names. */
    static List<String> charts(List<PhaseResult> phases, ConnectionsResult c, Path dir) throws IOException {
        var files = new ArrayList<String>();
        if (!phases.isEmpty()) {
            files.add(latencyChart(phases, dir, true));
            files.add(latencyChart(phases, dir, false));
            files.add(throughputChart(phases, dir));
            var sweep = LatencySweep.rows(phases);
            var sweepChart = sweep.isEmpty() ? null : LatencySweep.chart(sweep, dir);
            if (sweepChart != null) {
                files.add(sweepChart);
            }
        }
        if (c != null && c.perSecond().length > 0) {
            var chart = new XYChartBuilder().width(900).height(450).title("Sign-ins per second (connections)")
                    .xAxisTitle("second").yAxisTitle("sign-ins/s").build();
            chart.getStyler().setLegendVisible(false);
            chart.getStyler().setMarkerSize(0);
            chart.addSeries("sign-ins", xs(c.perSecond().length), toDouble(c.perSecond()));
            BitmapEncoder.saveBitmap(chart, dir.resolve("connections").toString(), BitmapEncoder.BitmapFormat.PNG);
            files.add("connections.png");
        }
        return files;
    }

    private static String latencyChart(List<PhaseResult> phases, Path dir, boolean push) throws IOException {
        var title = push ? "Send -> push latency (group: send -> last member)" : "Send -> ack latency";
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(500).title(title)
                .xAxisTitle("scenario / load").yAxisTitle("ms (log scale)").build();
        var styler = chart.getStyler();
        styler.setYAxisLogarithmic(true);
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setAvailableSpaceFill(0.8);
        styler.setXAxisLabelRotation(20);
        var labels = new ArrayList<String>();
        var p50 = new ArrayList<Double>();
        var p99 = new ArrayList<Double>();
        var p999 = new ArrayList<Double>();
        for (var p : phases) {
            var s = push ? (p.fanout() != null ? p.fanout() : p.push()) : p.ack();
            labels.add(p.label());
            p50.add(Math.max(0.01, s.p50Ms()));
            p99.add(Math.max(0.01, s.p99Ms()));
            p999.add(Math.max(0.01, s.p999Ms()));
        }
        // bars start at zero unless told otherwise, which a log axis cannot draw
        styler.setYAxisMin(Math.max(0.01, p50.stream().mapToDouble(Double::doubleValue).min().orElse(1) / 2));
        chart.addSeries("p50", labels, p50);
        chart.addSeries("p99", labels, p99);
        chart.addSeries("p99.9", labels, p999);
        var name = push ? "latency-push" : "latency-ack";
        BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
        return name + ".png";
    }

    private static String throughputChart(List<PhaseResult> phases, Path dir) throws IOException {
        XYChart chart = new XYChartBuilder().width(1100).height(500).title("Deliveries per second over time")
                .xAxisTitle("second of the phase (warm-up first)").yAxisTitle("pushes/s (log scale)").build();
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        for (var p : phases) {
            if (p.perSecond().length > 0) {
                var ys = toDouble(p.perSecond());
                for (int i = 0; i < ys.length; i++) {
                    ys[i] = Math.max(1, ys[i]);
                }
                chart.addSeries(p.label(), xs(p.perSecond().length), ys);
            }
        }
        BitmapEncoder.saveBitmap(chart, dir.resolve("throughput").toString(), BitmapEncoder.BitmapFormat.PNG);
        return "throughput.png";
    }

    private static double[] xs(int n) {
        var x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    private static double[] toDouble(long[] v) {
        var d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}

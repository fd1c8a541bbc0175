package io.imserver.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The server's store histograms as read from its {@code /metrics} (cumulative Prometheus buckets), and what one
 * phase added to them: where the server's part of a message's latency went.
 *
 * @param buckets per histogram name, the cumulative count at each bucket's upper bound ({@code le}; +Inf included)
 */
record StoreTimes(Map<String, NavigableMap<Double, Double>> buckets) {
    /** Per write: submission to its after-commit step (queue, batch, durable commit, hand-over). */
    static final String WRITE = "im_store_write_seconds";
    /** Per write: submission to the start of its batch. */
    static final String QUEUED = "im_store_write_queued_seconds";
    /** Per write: its batch's run, start to durable commit. */
    static final String COMMITTING = "im_store_write_committing_seconds";
    /** Per write: durable commit to its after-commit step. */
    static final String COMPLETING = "im_store_write_completing_seconds";
    /** Per batch: its run, from its first write to its durable commit. */
    static final String COMMIT = "im_store_commit_seconds";
    /** Per batch: the database's commit call alone (SQLite: WAL frames written and fsynced). */
    static final String COMMIT_CALL = "im_store_commit_call_seconds";
    /** Per batch: writes it held. */
    static final String BATCH = "im_store_batch";
    private static final List<String> NAMES =
            List.of(WRITE, QUEUED, COMMITTING, COMPLETING, COMMIT, COMMIT_CALL, BATCH);

    /**
     * One phase's store figures: quantiles are the upper bounds of the histogram buckets they fall in (Micrometer's
     * buckets are 10-30 % apart), times in ms.
     *
     * @param writes writes the phase made
     * @param write per write, submission to its after-commit step
     * @param queued per write, submission to the start of its batch
     * @param committing per write, its batch's run to the durable commit
     * @param completing per write, durable commit to its after-commit step
     * @param commit per batch, first write to durable commit
     * @param commitCall per batch, the database's commit call
     * @param batch writes per batch
     */
    record Breakdown(long writes, Quantiles write, Quantiles queued, Quantiles committing, Quantiles completing,
                     Quantiles commit, Quantiles commitCall, Quantiles batch) {
    }

    /** p50 and p99 of what a phase added to one histogram; null values: nothing was added. */
    record Quantiles(long count, Double p50, Double p99) {
    }

    /** The store histograms in a {@code /metrics} text; those it lacks are empty. */
    static StoreTimes parse(String metricsText) {
        var out = new LinkedHashMap<String, NavigableMap<Double, Double>>();
        NAMES.forEach(n -> out.put(n, new TreeMap<>()));
        for (var line : metricsText.split("\n")) {
            int brace = line.indexOf("_bucket{");
            if (brace < 0 || line.startsWith("#")) {
                continue;
            }
            var histogram = out.get(line.substring(0, brace));
            int le = line.indexOf("le=\"", brace);
            int space = line.lastIndexOf(' ');
            if (histogram == null || le < 0 || space < le) {
                continue;
            }
            var bound = line.substring(le + 4, line.indexOf('"', le + 4));
            try {
                histogram.merge(bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound),
                        Double.parseDouble(line.substring(space + 1)), Double::sum);
            } catch (NumberFormatException e) {
                // a line that is not a sample: not ours to judge
            }
        }
        return new StoreTimes(out);
    }

    /** What happened between {@code before} and this reading; null when the server has no store histograms. */
    Breakdown since(StoreTimes before) {
        if (buckets.get(WRITE).isEmpty()) {
            return null;
        }
        var write = quantiles(WRITE, before, 1000);
        return new Breakdown(write.count(), write, quantiles(QUEUED, before, 1000),
                quantiles(COMMITTING, before, 1000), quantiles(COMPLETING, before, 1000),
                quantiles(COMMIT, before, 1000), quantiles(COMMIT_CALL, before, 1000), quantiles(BATCH, before, 1));
    }

    private Quantiles quantiles(String name, StoreTimes before, double scale) {
        var now = buckets.get(name);
        var then = before.buckets.get(name);
        var added = new TreeMap<Double, Double>();
        now.forEach((bound, count) -> added.put(bound, count - then.getOrDefault(bound, 0.0)));
        double total = added.isEmpty() ? 0 : added.lastEntry().getValue();
        if (total <= 0) {
            return new Quantiles(0, null, null);
        }
        return new Quantiles((long) total, bound(added, 0.5 * total) * scale, bound(added, 0.99 * total) * scale);
    }

    /** The results.md section: one line per phase with store figures; empty when none has them. */
    static String markdown(List<PhaseResult> phases) {
        var rows = phases.stream().filter(p -> p.store() != null && p.store().writes() > 0).toList();
        if (rows.isEmpty()) {
            return "";
        }
        var sb = new StringBuilder("\n## Where the server's store spent the time\n\n");
        sb.append("From the server's histograms over each measured window (its first node's), p50 / p99 in ms, each "
                + "the upper bound of the histogram bucket it falls in. Per write: from its submission to the store "
                + "until its after-commit step (the push) runs, and its three parts: queued until its batch began "
                + "(the writer busy with earlier batches, or gathering more writes), its batch's run to the durable "
                + "commit, and the hand-over to the after-commit step. Per batch: the database's commit call (SQLite: "
                + "its WAL frames written and fsynced) and the writes it held.\n\n");
        sb.append("| phase | send->push p99 | writes | write | queued | batch run | hand-over | per batch: commit call "
                + "| writes per batch |\n");
        sb.append("|---|---:|---:|---|---|---|---|---|---|\n");
        for (var p : rows) {
            var st = p.store();
            sb.append("| ").append(p.label()).append(" | ").append(Report.f(p.push().p99Ms())).append(" | ")
                    .append(Report.n(st.writes())).append(" | ").append(pair(st.write())).append(" | ")
                    .append(pair(st.queued())).append(" | ").append(pair(st.committing())).append(" | ")
                    .append(pair(st.completing())).append(" | ").append(pair(st.commitCall())).append(" | ")
                    .append(pair(st.batch())).append(" |\n");
        }
        return sb.toString();
    }

    private static String pair(Quantiles q) {
        return q.count() == 0 ? "-" : Report.f(q.p50()) + " / " + Report.f(q.p99());
    }

    /** The upper bound of the first bucket holding at least {@code rank} values. */
    private static double bound(NavigableMap<Double, Double> cumulative, double rank) {
        for (var e : cumulative.entrySet()) {
            if (e.getValue() >= rank) {
                return e.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}

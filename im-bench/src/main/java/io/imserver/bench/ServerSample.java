package io.imserver.bench;

/**
 * One reading of the server's {@code /metrics}: what the benchmark reports about the server process.
 *
 * @param atNanos when it was taken ({@link System#nanoTime()})
 * @param connections {@code im_connections}
 * @param rssBytes {@code process_resident_memory_bytes}
 * @param heapUsedBytes sum of {@code jvm_memory_used_bytes{area="heap"}}
 * @param heapCommittedBytes sum of {@code jvm_memory_committed_bytes{area="heap"}}
 * @param nonHeapUsedBytes sum of {@code jvm_memory_used_bytes{area="nonheap"}}
 * @param cpuTimeNanos {@code process_cpu_time_ns_total} (NaN when not exposed)
 * @param cpuUsage {@code process_cpu_usage}: recent CPU of the process as a fraction of the whole machine
 * @param threads {@code jvm_threads_live_threads}
 */
public record ServerSample(long atNanos, double connections, double rssBytes, double heapUsedBytes,
                           double heapCommittedBytes, double nonHeapUsedBytes, double cpuTimeNanos, double cpuUsage,
                           double threads) {

    static ServerSample parse(String text, long atNanos) {
        double conns = Double.NaN;
        double rss = Double.NaN;
        double heap = 0;
        double heapCommitted = 0;
        double nonHeap = 0;
        double cpuTime = Double.NaN;
        double cpuUsage = Double.NaN;
        double threads = Double.NaN;
        for (var line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            var name = line.substring(0, space);
            double value;
            try {
                value = Double.parseDouble(line.substring(space + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            if (name.equals("im_connections")) {
                conns = value;
            } else if (name.equals("process_resident_memory_bytes")) {
                rss = value;
            } else if (name.startsWith("jvm_memory_used_bytes{") && name.contains("area=\"heap\"")) {
                heap += value;
            } else if (name.startsWith("jvm_memory_used_bytes{") && name.contains("area=\"nonheap\"")) {
                nonHeap += value;
            } else if (name.startsWith("jvm_memory_committed_bytes{") && name.contains("area=\"heap\"")) {
                heapCommitted += value;
            } else if (name.equals("process_cpu_time_ns_total")) {
                cpuTime = value;
            } else if (name.equals("process_cpu_usage")) {
                cpuUsage = value;
            } else if (name.equals("jvm_threads_live_threads")) {
                threads = value;
            }
        }
        return new ServerSample(atNanos, conns, rss, heap, heapCommitted, nonHeap, cpuTime, cpuUsage, threads);
    }

    /** The sum of two nodes' samples (taken at this one's time): a cluster's connections, memory and CPU. */
    ServerSample plus(ServerSample other) {
        return new ServerSample(atNanos, connections + other.connections, rssBytes + other.rssBytes,
                heapUsedBytes + other.heapUsedBytes, heapCommittedBytes + other.heapCommittedBytes,
                nonHeapUsedBytes + other.nonHeapUsedBytes, cpuTimeNanos + other.cpuTimeNanos,
                cpuUsage + other.cpuUsage, threads + other.threads);
    }

    /** CPU used between {@code earlier} and this sample, in percent of one core (NaN when unknown). */
    public double cpuPercentSince(ServerSample earlier) {
        double wall = atNanos - earlier.atNanos;
        if (wall <= 0 || Double.isNaN(cpuTimeNanos) || Double.isNaN(earlier.cpuTimeNanos)) {
            return Double.NaN;
        }
        return 100.0 * (cpuTimeNanos - earlier.cpuTimeNanos) / wall;
    }
}

package io.imserver.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * A summary of a JFR recording's CPU samples: the hottest methods by self time, the
 * project's own methods ({@code io.imserver}) by inclusive time, and samples per thread (numbered threads of a pool
 * grouped: {@code blocking-7} counts as {@code blocking-N}).
 *
 * @param file the recording
 * @param sampler the event counted: {@code jdk.CPUTimeSample} (JDK 25 on Linux: a sample per millisecond of CPU a
 *     thread uses, in Java or native code) when the recording has it, else {@code jdk.ExecutionSample} (threads
 *     running Java code at each 10-20 ms tick)
 * @param samples CPU samples in it
 * @param self top methods where the sample was taken (self time)
 * @param inclusive top io.imserver methods anywhere on the stack
 * @param threads samples per thread (group)
 * @param nativeSamples samples of threads waiting in native code ({@code jdk.NativeMethodSample}: epoll, fsync, ...)
 * @param nativeFrames where they wait: the thread (group) and the top Java frame that called into native code
 */
public record JfrProfile(String file, String sampler, long samples, List<Entry> self, List<Entry> inclusive,
                         List<Entry> threads, long nativeSamples, List<Entry> nativeFrames) {
    /** A method or thread and its share of the samples. */
    public record Entry(String name, long samples, double percent) {
    }

    static JfrProfile summarize(Path file, int top) throws IOException {
        var counts = new HashMap<String, Tally>();
        var nativeFrames = new HashMap<String, Long>();
        long samples = 0;
        long nativeSamples = 0;
        try (var recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                var event = recording.readEvent();
                var type = event.getEventType().getName();
                if (type.equals("jdk.NativeMethodSample")) {
                    var stack = event.getStackTrace();
                    if (stack != null && !stack.getFrames().isEmpty()) {
                        nativeSamples++;
                        var thread = event.getThread("sampledThread");
                        var tn = thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName();
                        nativeFrames.merge(tn.replaceAll("\\d+", "N") + ": " + name(stack.getFrames().get(0)), 1L,
                                Long::sum);
                    }
                    continue;
                }
                if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.CPUTimeSample")) {
                    continue;
                }
                var stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                var t = counts.computeIfAbsent(type, k -> new Tally());
                t.samples++;
                var frames = stack.getFrames();
                t.self.merge(name(frames.get(0)), 1L, Long::sum);
                var seen = new HashSet<String>();
                for (RecordedFrame f : frames) {
                    var n = name(f);
                    if (n.startsWith("io.imserver.") && seen.add(n)) {
                        t.inclusive.merge(n, 1L, Long::sum);
                    }
                }
                var thread = event.hasField("sampledThread") ? event.getThread("sampledThread") : event.getThread();
                var tn = thread == null ? "?" : thread.getJavaName() == null ? thread.getOSName() : thread.getJavaName();
                t.threads.merge(tn == null ? "?" : tn.replaceAll("\\d+", "N"), 1L, Long::sum);
            }
        }
        var sampler = counts.containsKey("jdk.CPUTimeSample") ? "jdk.CPUTimeSample" : "jdk.ExecutionSample";
        var t = counts.getOrDefault(sampler, new Tally());
        return new JfrProfile(file.toString(), sampler, t.samples, top(t.self, t.samples, top),
                top(t.inclusive, t.samples, top), top(t.threads, t.samples, top), nativeSamples,
                top(nativeFrames, nativeSamples, top));
    }

    private static final class Tally {
        long samples;
        final Map<String, Long> self = new HashMap<>();
        final Map<String, Long> inclusive = new HashMap<>();
        final Map<String, Long> threads = new HashMap<>();
    }

    private static String name(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        if (m == null) {
            return "?";
        }
        return m.getType().getName() + "." + m.getName();
    }

    private static List<Entry> top(Map<String, Long> counts, long total, int n) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(n)
                .map(e -> new Entry(e.getKey(), e.getValue(), total == 0 ? 0 : 100.0 * e.getValue() / total))
                .toList();
    }

    String toMarkdown(String title) {
        var sb = new StringBuilder();
        sb.append("### ").append(title).append("\n\n").append(samples).append(" CPU samples (`").append(sampler)
                .append("`) in `")
                .append(Path.of(file).getFileName()).append("`\n\n");
        table(sb, "Top frames (self)", self);
        table(sb, "io.imserver methods (inclusive)", inclusive);
        table(sb, "Samples per thread", threads);
        sb.append(nativeSamples).append(" samples of threads in native code (`jdk.NativeMethodSample`): waiting, "
                + "not necessarily using CPU\n\n");
        table(sb, "Thread: Java frame calling native code", nativeFrames);
        return sb.toString();
    }

    private static void table(StringBuilder sb, String title, List<Entry> entries) {
        sb.append("| ").append(title).append(" | samples | % |\n|---|---:|---:|\n");
        for (var e : entries) {
            sb.append("| `").append(e.name()).append("` | ").append(e.samples()).append(" | ")
                    .append(String.format("%.1f", e.percent())).append(" |\n");
        }
        sb.append('\n');
    }
}

package io.imserver.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Idle signed-in connections: opens {@code --connections} of them (heartbeat on, every 10 s), in this process or,
 * above {@code --conns-per-proc} (one JVM holds at most ~19,900 sockets under the 20,000 open-file limit), in child
 * processes of this tool ({@code BenchMain worker-connections}); then holds them idle and reads the server's heap, RSS
 * and CPU from {@code /metrics}.
 */
final class ConnectionsScenario {
    static final int HEARTBEAT_SECONDS = 10;

    private final BenchContext ctx;
    private final Target target;

    ConnectionsScenario(BenchContext ctx, Target target) {
        this.ctx = ctx;
        this.target = target;
    }

    ConnectionsResult run() throws IOException, InterruptedException {
        var o = ctx.options;
        int n = o.connections;
        var admin = target.admin();
        var ids = new ArrayList<Long>(n);
        for (int i = 0; i < n; i++) {
            ids.add(4_000_000L + i);
        }
        var tokens = admin.usersWithTokens(o.appId, ids, o.adminParallel, ctx.progress);
        int procs = Math.max(o.clientProcs, (n + o.connsPerProc - 1) / o.connsPerProc);
        double heapBeforeGc = heapAfterGc();
        ctx.measuredPartBegins();
        var before = admin.sample();
        ctx.progress.status(String.format("connections: server before: rss %.1f MiB, heap %.1f MiB, %s connections",
                before.rssBytes() / 1048576, before.heapUsedBytes() / 1048576, (long) before.connections()));
        ctx.progress.status("connections: opening " + n + " signed-in connections from " + procs + " client process"
                + (procs == 1 ? "" : "es") + ", " + o.connectParallel + " in flight per process, source addresses "
                + (o.sourceAddresses.isEmpty() ? "system's choice" : o.sourceAddresses.size() + " loopback addresses"));

        Fleet fleet = null;
        var workers = new ArrayList<Worker>();
        var signedSoFar = new java.util.function.LongSupplier[1];
        var cpuSampler = new CpuDuringSignIn(admin, () -> signedSoFar[0] == null ? 0 : signedSoFar[0].getAsLong(), n);
        int signed;
        int failed;
        double seconds;
        LatencySummary signLatency;
        long[] perSecond;
        var errors = new TreeMap<String, Long>();
        if (procs == 1) {
            var members = new ArrayList<Fleet.Member>();
            for (int i = 0; i < n; i++) {
                members.add(new Fleet.Member(o.appId, ids.get(i), tokens.get(i)));
            }
            warmUp(ctx.resources, target.wsUrls(), o.sourceAddresses, members, o.connectParallel, o.connectWarmup,
                    ctx.progress);
            var live = new Fleet.Live();
            signedSoFar[0] = live.signed::sum;
            cpuSampler.start();
            fleet = Fleet.connect(ctx.resources, target.wsUrls(), o.sourceAddresses, members, o.connectParallel, null,
                    ctx.progress, "connections", live);
            cpuSampler.stop();
            signed = fleet.signedIn();
            failed = fleet.failed;
            seconds = fleet.seconds();
            signLatency = fleet.signLatency;
            perSecond = fleet.signInsPerSecond;
            errors.putAll(fleet.errors);
        } else {
            int per = (n + procs - 1) / procs;
            for (int p = 0; p < procs; p++) {
                int from = p * per;
                int to = Math.min(n, from + per);
                if (from >= to) {
                    break;
                }
                // each process gets its own slice of the source addresses, so their port ranges do not collide
                var sources = slice(o.sourceAddresses, p, procs);
                workers.add(Worker.start(ctx, p, target.wsUrls(), sources, o.appId, ids.subList(from, to),
                        tokens.subList(from, to)));
            }
            ctx.progress.ticker(() -> "connections: signed in " + workers.stream().mapToLong(w -> w.signed.get()).sum()
                    + "/" + n + ", failed " + workers.stream().mapToLong(w -> w.failed.get()).sum());
            signedSoFar[0] = () -> workers.stream().mapToLong(w -> w.signed.get()).sum();
            cpuSampler.start();
            for (var w : workers) {
                w.awaitDone();
            }
            cpuSampler.stop();
            ctx.progress.stopTicker();
            signed = workers.stream().mapToInt(w -> (int) w.signed.get()).sum();
            failed = workers.stream().mapToInt(w -> (int) w.failed.get()).sum();
            long start = workers.stream().mapToLong(w -> w.startMs).min().orElse(0);
            long end = workers.stream().mapToLong(w -> w.endMs).max().orElse(0);
            seconds = (end - start) / 1000.0;
            signLatency = workers.stream().map(w -> w.latency).max((a, b) -> Double.compare(a.p99Ms(), b.p99Ms()))
                    .orElse(LatencySummary.EMPTY);
            perSecond = new long[0];
            for (var w : workers) {
                w.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            }
        }
        double rate = seconds > 0 ? signed / seconds : 0;
        double signInCpu = cpuSampler.percentOfCore();
        ctx.progress.status(String.format("connections: %d signed in, %d failed in %.1f s: %.0f sign-ins/s, server "
                        + "cpu while signing in %.0f%% of a core%s", signed, failed, seconds, rate, signInCpu,
                errors.isEmpty() ? "" : ", errors " + errors));

        // let the sign-in burst settle (GC, JIT, the last handshakes) before measuring the idle server
        ctx.progress.status("connections: settling 5 s, then measuring " + o.holdSeconds + " s idle");
        PhaseRun.sleep(5);
        var s0 = admin.sample();
        long holdStart = System.nanoTime();
        ctx.progress.ticker(() -> {
            var s = admin.sample();
            return String.format("connections: holding %.0f/%.0f s idle: server im_connections %.0f, rss %.1f MiB, "
                            + "heap %.1f MiB, cpu %.1f%% of a core", (System.nanoTime() - holdStart) / 1e9,
                    o.holdSeconds, s.connections(), s.rssBytes() / 1048576, s.heapUsedBytes() / 1048576,
                    s.cpuPercentSince(s0));
        });
        PhaseRun.sleep(o.holdSeconds);
        ctx.progress.stopTicker();
        var after = admin.sample();
        double idleCpu = after.cpuPercentSince(s0);
        double heapWithConns = heapAfterGc();
        long disconnects = fleet != null ? fleet.disconnects() : 0;
        if (fleet != null) {
            ctx.progress.status("connections: closing");
            fleet.close();
        }
        for (var w : workers) {
            disconnects += w.stop();
        }
        double rssPerConn = signed == 0 ? Double.NaN : (after.rssBytes() - before.rssBytes()) / signed;
        double heapPerConn = signed == 0 || Double.isNaN(heapWithConns) ? Double.NaN
                : (heapWithConns - heapBeforeGc) / signed;
        int cores = Runtime.getRuntime().availableProcessors();
        var result = new ConnectionsResult(n, signed, failed, Math.max(1, workers.size()), seconds, rate, signLatency,
                signInCpu, before, after, heapWithConns, rssPerConn, heapPerConn, o.holdSeconds, idleCpu, idleCpu / cores,
                HEARTBEAT_SECONDS, disconnects, errors, perSecond);
        ctx.progress.status(String.format("connections: server with %.0f connections: rss %.1f MiB (%.0f B per "
                        + "connection over the idle server), heap %.1f MiB (after GC %.1f MiB, %.0f B per connection), "
                        + "idle cpu %.1f%% of a core", after.connections(), after.rssBytes() / 1048576, rssPerConn,
                after.heapUsedBytes() / 1048576, heapWithConns / 1048576, heapPerConn, idleCpu));
        return result;
    }

    /**
     * Samples the server's CPU time every half second while connections sign in; reports its CPU between 5% and 95%
     * of the sign-ins (the steady part, without the client processes' start).
     */
    static final class CpuDuringSignIn {
        private record Point(long nanos, double cpuNanos, long signed) {
        }

        private final AdminApi admin;
        private final java.util.function.LongSupplier signed;
        private final long total;
        private final List<Point> points = java.util.Collections.synchronizedList(new ArrayList<>());
        private volatile boolean running;
        private Thread thread;

        CpuDuringSignIn(AdminApi admin, java.util.function.LongSupplier signed, long total) {
            this.admin = admin;
            this.signed = signed;
            this.total = total;
        }

        void start() {
            running = true;
            thread = Thread.ofPlatform().daemon(true).name("cpu-sampler").start(() -> {
                while (running) {
                    try {
                        var s = admin.sample();
                        points.add(new Point(s.atNanos(), s.cpuTimeNanos(), signed.getAsLong()));
                    } catch (RuntimeException e) {
                        // skip a sample
                    }
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
        }

        double percentOfCore() {
            Point from = null;
            Point to = null;
            synchronized (points) {
                for (var p : points) {
                    if (from == null && p.signed() >= total * 0.05) {
                        from = p;
                    }
                    if (p.signed() <= total * 0.95 || to == null) {
                        to = p;
                    }
                }
            }
            if (from == null || to == null || to.nanos() <= from.nanos()) {
                return Double.NaN;
            }
            return 100.0 * (to.cpuNanos() - from.cpuNanos()) / (to.nanos() - from.nanos());
        }
    }

    /**
     * Connects the first {@code count} members and closes them again, unmeasured: the JIT of this process (and the
     * server's sign-in path) is then warm for the measured sign-ins.
     */
    static void warmUp(io.imserver.client.ClientResources resources, List<String> urls, List<InetAddress> sources,
                       List<Fleet.Member> members, int parallel, int count, Progress progress) {
        if (count <= 0) {
            return;
        }
        progress.status("connections: warm-up: " + Math.min(count, members.size()) + " sign-ins, unmeasured");
        var warm = Fleet.connect(resources, urls, sources, members.subList(0, Math.min(count, members.size())),
                parallel, null, progress, "warm-up");
        progress.stopTicker();
        warm.close();
        PhaseRun.sleep(1);
    }

    /** Heap used right after a full GC of the child server (jcmd GC.run); NaN for a server we did not start. */
    private double heapAfterGc() {
        if (target.pid() < 0) {
            return Double.NaN;
        }
        Jcmd.run(target.pid(), "GC.run");
        PhaseRun.sleep(0.5);
        return target.admin().sample().heapUsedBytes();
    }

    static List<InetAddress> slice(List<InetAddress> all, int p, int procs) {
        if (all.size() < procs) {
            return all;
        }
        var out = new ArrayList<InetAddress>();
        for (int i = p; i < all.size(); i += procs) {
            out.add(all.get(i));
        }
        return out;
    }

    /** A client process holding a slice of the connections; talks to this one over its stdin/stdout. */
    static final class Worker {
        final Process process;
        final AtomicLong signed = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final Map<String, Long> errors = new ConcurrentHashMap<>();
        volatile long startMs;
        volatile long endMs;
        volatile LatencySummary latency = LatencySummary.EMPTY;
        volatile long disconnects;
        private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        private final Writer stdin;

        private Worker(Process process) {
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        static Worker start(BenchContext ctx, int index, List<String> urls, List<InetAddress> sources, long appId,
                            List<Long> users, List<String> tokens) throws IOException {
            var file = ctx.out.resolve("worker-" + index + ".tokens");
            var sb = new StringBuilder();
            for (int i = 0; i < users.size(); i++) {
                sb.append(appId).append(' ').append(users.get(i)).append(' ').append(tokens.get(i)).append('\n');
            }
            Files.writeString(file, sb);
            var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xss512k", "-Xmx1g",
                    "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), BenchMain.class.getName(),
                    "worker-connections", "--tokens", file.toString(), "--ws", String.join(",", urls),
                    "--source-addrs", sources.isEmpty() ? "none" : sources.stream().map(InetAddress::getHostAddress)
                            .collect(Collectors.joining(",")),
                    "--connect-parallel", Integer.toString(ctx.options.connectParallel),
                    "--client-threads", Integer.toString(ctx.options.clientThreads),
                    "--connect-warmup", Integer.toString(ctx.options.connectWarmup)));
            var process = new ProcessBuilder(cmd).redirectError(ctx.out.resolve("worker-" + index + ".log").toFile())
                    .start();
            var w = new Worker(process);
            Thread.ofPlatform().daemon(true).name("worker-" + index).start(w::read);
            return w;
        }

        private void read() {
            try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    var f = line.split(" ", 2);
                    var rest = f.length > 1 ? f[1].split(" ") : new String[0];
                    switch (f[0]) {
                        case "PROGRESS" -> {
                            signed.set(Long.parseLong(rest[0]));
                            failed.set(Long.parseLong(rest[1]));
                        }
                        case "ERROR" -> errors.merge(f[1].substring(f[1].indexOf(' ') + 1),
                                Long.parseLong(rest[0]), Long::sum);
                        case "DONE" -> {
                            signed.set(Long.parseLong(rest[0]));
                            failed.set(Long.parseLong(rest[1]));
                            startMs = Long.parseLong(rest[2]);
                            endMs = Long.parseLong(rest[3]);
                            latency = new LatencySummary(signed.get(), 0, Double.parseDouble(rest[4]), 0,
                                    Double.parseDouble(rest[5]), Double.parseDouble(rest[6]),
                                    Double.parseDouble(rest[7]));
                            done.countDown();
                        }
                        case "CLOSED" -> {
                            disconnects = Long.parseLong(rest[0]);
                            closed.countDown();
                        }
                        default -> { }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process died; awaitDone/stop report what arrived
            } finally {
                done.countDown();
                closed.countDown();
            }
        }

        void awaitDone() throws InterruptedException {
            done.await(15, TimeUnit.MINUTES);
        }

        long stop() throws InterruptedException {
            try {
                stdin.write("stop\n");
                stdin.flush();
            } catch (IOException e) {
                // already gone
            }
            closed.await(60, TimeUnit.SECONDS);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return disconnects;
        }
    }

    /**
     * {@code BenchMain worker-connections}: connects the clients of a tokens file, reports on stdout
     * ({@code PROGRESS signed failed}, {@code ERROR kind count}, {@code DONE signed failed startMs endMs p50 p99 p999
     * max}), holds them until stdin says {@code stop} (or closes), then prints {@code CLOSED disconnects}.
     */
    static void worker(String[] args) throws IOException {
        Path tokens = null;
        String ws = null;
        String sources = "none";
        int parallel = 256;
        int threads = Runtime.getRuntime().availableProcessors();
        int warmup = 0;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--tokens" -> tokens = Path.of(args[i + 1]);
                case "--ws" -> ws = args[i + 1];
                case "--source-addrs" -> sources = args[i + 1];
                case "--connect-parallel" -> parallel = Integer.parseInt(args[i + 1]);
                case "--client-threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--connect-warmup" -> warmup = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("worker: unknown option " + args[i]);
            }
        }
        if (tokens == null || ws == null) {
            throw new IllegalArgumentException("worker: --tokens and --ws are required");
        }
        var members = new ArrayList<Fleet.Member>();
        for (var line : Files.readAllLines(tokens)) {
            var f = line.split(" ");
            if (f.length == 3) {
                members.add(new Fleet.Member(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2]));
            }
        }
        var out = System.out;
        try (var resources = io.imserver.client.ClientResources.create(threads);
             var quiet = new Progress(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), 3600)) {
            var urls = List.of(ws.split(","));
            warmUp(resources, urls, BenchOptions.parseAddresses(sources), members, parallel, warmup, quiet);
            var live = new Fleet.Live();
            var counting = new java.util.concurrent.atomic.AtomicBoolean(true);
            var reporter = Thread.ofPlatform().daemon(true).start(() -> {
                while (counting.get()) {
                    synchronized (out) {
                        out.println("PROGRESS " + live.signed.sum() + " " + live.failed.sum());
                        out.flush();
                    }
                    PhaseRun.sleep(1);
                }
            });
            long startMs = System.currentTimeMillis();
            var fleet = Fleet.connect(resources, urls, BenchOptions.parseAddresses(sources), members, parallel, null,
                    quiet, "worker", live);
            counting.set(false);
            long endMs = startMs + (long) (fleet.seconds() * 1000);
            synchronized (out) {
                fleet.errors.forEach((k, v) -> out.println("ERROR " + v + " " + k));
                var l = fleet.signLatency;
                out.printf("DONE %d %d %d %d %.3f %.3f %.3f %.3f%n", fleet.signedIn(), fleet.failed, startMs, endMs,
                        l.p50Ms(), l.p99Ms(), l.p999Ms(), l.maxMs());
                out.flush();
            }
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.strip().equals("stop")) {
                // hold the connections
            }
            long disconnects = fleet.disconnects();
            fleet.close();
            out.println("CLOSED " + disconnects);
            out.flush();
        }
    }
}

package io.imserver.bench;

import io.imserver.client.ClientResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/im-bench}: runs the scenarios, writes results.json, results.md and charts into {@code --out}.
 * Exit status 0 when every scenario ran and verified, 1 when one failed or found a delivery/storage error, 2 for a
 * bad command line.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("worker-connections")) {
            ConnectionsScenario.worker(args);
            System.exit(0);
            return;
        }
        System.setProperty("java.awt.headless", "true");
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.HelpRequested e) {
            System.out.print(BenchOptions.usage());
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("im-bench: " + e.getMessage());
            System.err.println("see bin/im-bench --help");
            System.exit(2);
            return;
        }
        var report = run(options, "bin/im-bench " + String.join(" ", args));
        System.out.println();
        System.out.print(Report.markdown(report));
        System.out.println();
        System.out.println("results: " + options.out.toAbsolutePath());
        System.exit(ok(report) ? 0 : 1);
    }

    static boolean ok(Report.BenchReport report) {
        return report.failures().isEmpty() && report.phases().stream().allMatch(p -> p.verification().ok());
    }

    /** Runs the scenarios of {@code o} and writes the results; returns them. */
    public static Report.BenchReport run(BenchOptions o, String command) throws IOException, InterruptedException {
        Files.createDirectories(o.out);
        var started = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var machine = Machine.probe();
        var phases = new ArrayList<PhaseResult>();
        var failures = new ArrayList<String>();
        var profiles = new LinkedHashMap<String, JfrProfile>();
        ConnectionsResult connections = null;
        String targetDescription = "";
        String serverOpts = null;
        try (var progress = new Progress(System.err, o.progressSeconds);
             var resources = ClientResources.create(o.clientThreads)) {
            progress.status("im-bench: scenarios " + o.scenarios + ", results in " + o.out.toAbsolutePath()
                    + "; machine " + machine.cores() + " cores, load " + machine.loadAtStart());
            var ctx = new BenchContext(o, resources, progress, o.out);
            if (o.scenarios.contains("baseline")) {
                try (var relay = RelayServer.start(o.relayThreads)) {
                    progress.status("baseline: " + relay.describe());
                    phases.addAll(new DirectScenario(ctx, "baseline", relay).run());
                } catch (Exception e) {
                    failures.add("baseline: " + e);
                    progress.status("baseline FAILED: " + e);
                }
            }
            boolean needServer = o.scenarios.stream().anyMatch(s -> !s.equals("baseline"));
            if (needServer) {
                Target target;
                if (o.wsUrls.isEmpty()) {
                    var root = Path.of(System.getProperty("im.bench.root", ".")).toAbsolutePath().normalize();
                    var cmd = o.serverCmd != null ? o.serverCmd : root.resolve("bin/im-server");
                    target = o.childNodes > 1
                            ? ChildCluster.start(o.childNodes, cmd, o.serverJavaOpts, o.serverDbUrl, o.redisUrl, o.out,
                                    o.keepData, progress)
                            : ChildServer.start(cmd, o.serverJavaOpts, o.serverDbUrl, o.out.resolve("server.log"),
                                    o.keepData, progress);
                    serverOpts = o.serverJavaOpts;
                } else {
                    target = new ExternalTarget(o.wsUrls, o.adminUrl, o.adminToken);
                }
                targetDescription = target.describe();
                try (target) {
                    target.admin().putApp(o.appId, "im-bench");
                    for (var scenario : List.of("direct", "group", "connections")) {
                        if (!o.scenarios.contains(scenario)) {
                            continue;
                        }
                        boolean profiling = o.jfr && target.pid() > 0;
                        var jfrFile = o.out.resolve("server-" + scenario + ".jfr").toAbsolutePath();
                        var recording = new boolean[1];
                        if (profiling) {
                            ctx.profileStart = () -> {
                                recording[0] = true;
                                var out = Jcmd.run(target.pid(), "JFR.start", "name=bench-" + scenario,
                                        "settings=profile", "jdk.CPUTimeSample#enabled=true",
                                        "jdk.CPUTimeSample#throttle=2ms", "filename=" + jfrFile);
                                if (!out.contains("Started recording")) {
                                    // a JDK without the CPU-time sampler: plain profile settings
                                    Jcmd.run(target.pid(), "JFR.start", "name=bench-" + scenario, "settings=profile",
                                            "filename=" + jfrFile);
                                }
                                progress.status(scenario + ": JFR recording the server into " + jfrFile);
                            };
                        }
                        try {
                            switch (scenario) {
                                case "direct" -> phases.addAll(new DirectScenario(ctx, "direct", target).run());
                                case "group" -> phases.addAll(new GroupScenario(ctx, target).run());
                                case "connections" -> connections = new ConnectionsScenario(ctx, target).run();
                                default -> throw new IllegalStateException(scenario);
                            }
                        } catch (Exception e) {
                            failures.add(scenario + ": " + e);
                            progress.status(scenario + " FAILED: " + e);
                        } finally {
                            ctx.profileStart = () -> { };
                            if (recording[0]) {
                                Jcmd.run(target.pid(), "JFR.stop", "name=bench-" + scenario);
                                try {
                                    profiles.put(scenario, JfrProfile.summarize(jfrFile, 20));
                                } catch (IOException e) {
                                    failures.add(scenario + ": JFR summary failed: " + e);
                                }
                            }
                        }
                    }
                }
            }
            var rated = Report.withRatios(phases);
            var targets = Report.targets(rated, connections, serverEngine(o), Math.max(1, o.childNodes));
            List<String> charts = List.of();
            try {
                charts = Report.charts(rated, connections, o.out);
            } catch (IOException | RuntimeException e) {
                failures.add("charts: " + e);
            }
            var report = new Report.BenchReport(started,
                    OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString(), command,
                    machine.withLoadAtEnd(), targetDescription.isEmpty() ? "relay only" : targetDescription,
                    serverOpts, optionsMap(o), rated, LatencySweep.rows(rated), connections, profiles, failures,
                    targets, charts);
            Report.write(report, o.out);
            progress.status("wrote " + o.out.resolve("results.md") + " and results.json");
            return report;
        }
    }

    /** The database of the measured server: the child node's, or "external" for a running node. */
    private static String serverEngine(BenchOptions o) {
        return Report.engine(o.wsUrls.isEmpty() ? o.serverDbUrl : "external");
    }

    private static Map<String, Object> optionsMap(BenchOptions o) {
        var m = new LinkedHashMap<String, Object>();
        m.put("scenarios", o.scenarios);
        m.put("pairs", o.pairs);
        m.put("window", o.window);
        m.put("rate", o.rate);
        m.put("rates", o.rates);
        m.put("closedLoop", o.closedLoop);
        m.put("openLoop", o.openLoop);
        m.put("durationSeconds", o.durationSeconds);
        m.put("warmupSeconds", o.warmupSeconds);
        m.put("jitWarmupSeconds", o.jitWarmupSeconds);
        m.put("payloadBytes", o.payloadBytes);
        m.put("verifySample", o.verifySample);
        m.put("groupSizes", o.groupSizes);
        m.put("groupMembers", o.groupMembers);
        m.put("groupWindow", o.groupWindow);
        m.put("connections", o.connections);
        m.put("connsPerProc", o.connsPerProc);
        m.put("clientProcs", o.clientProcs);
        m.put("holdSeconds", o.holdSeconds);
        m.put("clientThreads", o.clientThreads);
        m.put("sourceAddresses", o.sourceAddresses.stream().map(a -> a.getHostAddress()).toList());
        m.put("jfr", o.jfr);
        m.put("serverDatabase", serverEngine(o));
        return m;
    }
}

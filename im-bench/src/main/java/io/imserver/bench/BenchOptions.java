package io.imserver.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The command line of {@code bin/im-bench}; {@link #usage()} is its {@code --help}. */
final class BenchOptions {
    static final List<String> SCENARIOS = List.of("baseline", "direct", "group", "connections");

    Set<String> scenarios = new LinkedHashSet<>();
    // target
    List<String> wsUrls = new ArrayList<>();
    String adminUrl;
    String adminToken;
    Path serverCmd;
    String serverJavaOpts = "-Xmx512m";
    String serverDbUrl;
    /** Cluster nodes to start (with --server-db-url and --redis-url); 0: one node without Redis. */
    int childNodes;
    String redisUrl = "redis://127.0.0.1:6379";
    boolean jfr;
    boolean keepData;
    /** Each message carries a client message id, as the SDKs' reliable sends stamp them (exactly-once send). */
    boolean clientMsgIds;
    // output
    Path out;
    double progressSeconds = 2;
    // shared load shape
    long appId = 1;
    int pairs = 100;
    int window = 8;
    int rate = 10_000;
    /** Open-loop rates of a latency sweep, one open phase each; empty: one open phase at {@link #rate}. */
    List<Integer> rates = List.of();
    boolean closedLoop = true;
    boolean openLoop = true;
    double durationSeconds = 10;
    double warmupSeconds = 3;
    double jitWarmupSeconds = 20;
    double drainSeconds = 10;
    int payloadBytes = 64;
    int verifySample = 20;
    int clientThreads = Runtime.getRuntime().availableProcessors();
    int relayThreads = Runtime.getRuntime().availableProcessors();
    List<InetAddress> sourceAddresses = new ArrayList<>();
    int connectParallel = 256;
    int connectWarmup = 2000;
    int adminParallel = 32;
    // group
    List<Integer> groupSizes = new ArrayList<>(List.of(10, 100, 1000));
    int groupMembers = 1000;
    int groupWindow = 1;
    // connections
    int connections = 1000;
    int connsPerProc = 18_000;
    int clientProcs = 1;
    double holdSeconds = 15;

    static String usage() {
        return """
                Usage: bin/im-bench [options] [SCENARIO...]

                Benchmarks the IM server on this machine and writes results.json, results.md and PNG charts.
                Scenarios (default: all, in this order):
                  baseline     a bare Netty WebSocket relay built into the tool (no storage), in-process, driven by
                               the same clients and load shape as 'direct'; every result is also given as a ratio to it
                  direct       pairs of users exchanging 1:1 messages: closed loop to saturation (--window in flight per
                               sender) and open loop at --rate msgs/s; latencies send->ack and send->push; verifies
                               every acknowledged message was delivered once and stored once
                  group        groups of --group-sizes members (created through the admin API); fan-out latency from
                               send to the last member's push; deliveries/s
                  connections  N signed-in idle connections (heartbeat on): sign-ins/s, server heap, RSS per
                               connection and idle CPU from /metrics; more than --conns-per-proc spawns client processes
                  all          all of the above

                Target (default: start a server node via bin/im-server with a temp data dir and free ports):
                  --ws URL[,URL...]        WebSocket URL(s) of running node(s); needs --admin and --admin-token
                  --nodes URL[,URL...]     same as --ws (clients are spread over the nodes round-robin)
                  --nodes N                start N cluster nodes (needs --server-db-url of PostgreSQL or MariaDB;
                                           Redis from --redis-url); clients are spread over them round-robin
                  --redis-url URL          Redis of the started cluster (default redis://127.0.0.1:6379)
                  --admin URL              admin API base URL, e.g. http://127.0.0.1:9090
                  --admin-token T          admin bearer token
                  --server-cmd PATH        launcher of the child node (default: <project>/bin/im-server)
                  --server-java-opts S     IM_JAVA_OPTS of the child node (default: -Xmx512m)
                  --server-db-url URL      database of the child node (default: its embedded SQLite), e.g.
                                           jdbc:postgresql://127.0.0.1:5432/imbench?user=postgres
                  --jfr                    profile the child node with JFR during each scenario; writes
                                           server-<scenario>.jfr and a top-frames summary into the results
                  --keep-data              keep the child node's data directory
                  --client-msg-ids         direct/group: every message carries a client_msg_id, as the SDKs'
                                           reliable sends stamp them (the server then dedups each send)

                Load:
                  --app-id N               app to create and use (default 1)
                  --pairs N                direct/baseline: user pairs, both users send to each other (default 100)
                  --window N               direct/baseline closed loop: sends in flight per sender (default 8)
                  --rate N                 direct/baseline open loop: total msgs/s (default 10000)
                  --rates A,B,...          direct/baseline latency sweep: one open-loop phase per rate (msgs/s)
                                           instead of the one at --rate; results.md gets a table of p50/p99/p99.9
                                           send->push per rate (server beside relay) and latency-sweep.png
                  --modes closed,open      which direct/baseline loops to run (default both)
                  --duration S             measured seconds per phase (default 10)
                  --warmup S               unmeasured seconds before each phase (default 3)
                  --jit-warmup S           added to the warm-up of the first phase against each target, so that
                                           the JITs of this tool and of a fresh server are warm (default 20)
                  --drain S                at most this long to wait for outstanding acks/pushes (default 10)
                  --payload-bytes N        minimum text length of a message (default 64)
                  --verify-sample N        direct: senders whose conversations are read back with sync (default 20)
                  --group-sizes A,B,...    group sizes (default 10,100,1000)
                  --group-members N        members per size: N/size groups of each size (default 1000)
                  --group-window N         group: sends in flight per group sender (default 1)
                  --connections N          connections: how many (default 1000)
                  --hold S                 connections: idle time measured after all signed in (default 15)
                  --conns-per-proc N       connections: most sockets per client process (default 18000)
                  --client-procs N         connections: client processes, at least N/conns-per-proc (default 1)
                  --connect-parallel N     sign-ins in flight per client process (default 256)
                  --connect-warmup N       connections: each client process first signs in (and closes) N of its
                                           connections, unmeasured, to warm its JIT (default 2000)
                  --source-addrs LIST      client source addresses, e.g. 127.0.0.2-127.0.0.9 (default) or
                                           127.0.0.2,127.0.0.3; 'none' lets the system choose
                  --client-threads N       client event loops per process (default: cores)
                  --relay-threads N        relay event loops (default: one per core, as the server)

                Output:
                  --out DIR                results directory (default target/bench/<timestamp>)
                  --progress S             seconds between progress lines (default 2)
                  --help                   this text
                """;
    }

    static BenchOptions parse(String[] args) {
        var o = new BenchOptions();
        var sources = "127.0.0.2-127.0.0.9";
        for (int i = 0; i < args.length; i++) {
            var arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            if (!arg.startsWith("--")) {
                if (arg.equals("all")) {
                    o.scenarios.addAll(SCENARIOS);
                } else if (SCENARIOS.contains(arg)) {
                    o.scenarios.add(arg);
                } else {
                    throw new IllegalArgumentException("unknown scenario '" + arg + "' (expected: one of " + SCENARIOS
                            + " or all)");
                }
                continue;
            }
            if (arg.equals("--jfr")) {
                o.jfr = true;
                continue;
            }
            if (arg.equals("--keep-data")) {
                o.keepData = true;
                continue;
            }
            if (arg.equals("--client-msg-ids")) {
                o.clientMsgIds = true;
                continue;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new HelpRequested();
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + ": missing value");
                }
                value = args[++i];
            }
            switch (arg) {
                case "--nodes" -> {
                    if (value.matches("\\d+")) {
                        o.childNodes = positiveInt(arg, value);
                    } else {
                        o.wsUrls.addAll(Arrays.stream(value.split(",")).map(String::strip)
                                .filter(s -> !s.isEmpty()).toList());
                    }
                }
                case "--ws" -> o.wsUrls.addAll(Arrays.stream(value.split(",")).map(String::strip)
                        .filter(s -> !s.isEmpty()).toList());
                case "--redis-url" -> o.redisUrl = value;
                case "--admin" -> o.adminUrl = value;
                case "--admin-token" -> o.adminToken = value;
                case "--server-cmd" -> o.serverCmd = Path.of(value);
                case "--server-java-opts" -> o.serverJavaOpts = value;
                case "--server-db-url" -> o.serverDbUrl = value;
                case "--out" -> o.out = Path.of(value);
                case "--progress" -> o.progressSeconds = positive(arg, value);
                case "--app-id" -> o.appId = (long) positive(arg, value);
                case "--pairs" -> o.pairs = positiveInt(arg, value);
                case "--window" -> o.window = positiveInt(arg, value);
                case "--rate" -> o.rate = positiveInt(arg, value);
                case "--rates" -> o.rates = sweepRates(arg, value);
                case "--modes" -> {
                    var modes = Set.of(value.split(","));
                    if (!Set.of("closed", "open").containsAll(modes)) {
                        throw new IllegalArgumentException("--modes: " + value + " (expected: closed, open or both)");
                    }
                    o.closedLoop = modes.contains("closed");
                    o.openLoop = modes.contains("open");
                }
                case "--duration" -> o.durationSeconds = positive(arg, value);
                case "--warmup" -> o.warmupSeconds = nonNegative(arg, value);
                case "--jit-warmup" -> o.jitWarmupSeconds = nonNegative(arg, value);
                case "--drain" -> o.drainSeconds = positive(arg, value);
                case "--payload-bytes" -> o.payloadBytes = (int) nonNegative(arg, value);
                case "--verify-sample" -> o.verifySample = (int) nonNegative(arg, value);
                case "--group-sizes" -> {
                    o.groupSizes = new ArrayList<>();
                    for (var s : value.split(",")) {
                        int size = positiveInt(arg, s.strip());
                        if (size < 2) {
                            throw new IllegalArgumentException("--group-sizes: " + size + " (expected: >= 2)");
                        }
                        o.groupSizes.add(size);
                    }
                }
                case "--group-members" -> o.groupMembers = positiveInt(arg, value);
                case "--group-window" -> o.groupWindow = positiveInt(arg, value);
                case "--connections" -> o.connections = positiveInt(arg, value);
                case "--hold" -> o.holdSeconds = nonNegative(arg, value);
                case "--conns-per-proc" -> o.connsPerProc = positiveInt(arg, value);
                case "--client-procs" -> o.clientProcs = positiveInt(arg, value);
                case "--connect-parallel" -> o.connectParallel = positiveInt(arg, value);
                case "--connect-warmup" -> o.connectWarmup = (int) nonNegative(arg, value);
                case "--source-addrs" -> sources = value;
                case "--client-threads" -> o.clientThreads = positiveInt(arg, value);
                case "--relay-threads" -> o.relayThreads = (int) nonNegative(arg, value);
                default -> throw new IllegalArgumentException("unknown option " + arg + " (see --help)");
            }
        }
        if (o.scenarios.isEmpty()) {
            o.scenarios.addAll(SCENARIOS);
        }
        o.sourceAddresses = parseAddresses(sources);
        if (!o.wsUrls.isEmpty() && (o.adminUrl == null || o.adminToken == null)) {
            throw new IllegalArgumentException("--ws/--nodes needs --admin and --admin-token (the tool creates its "
                    + "app, users and tokens through the admin API)");
        }
        if (o.childNodes > 0 && !o.wsUrls.isEmpty()) {
            throw new IllegalArgumentException("--nodes N starts nodes; --ws/--nodes URL targets running ones: not both");
        }
        if (o.childNodes > 1 && (o.serverDbUrl == null || o.serverDbUrl.startsWith("jdbc:sqlite:"))) {
            throw new IllegalArgumentException("--nodes " + o.childNodes + " needs --server-db-url of a PostgreSQL or"
                    + " MariaDB database the nodes share");
        }
        if (o.wsUrls.isEmpty() && (o.adminUrl != null || o.adminToken != null)) {
            throw new IllegalArgumentException("--admin/--admin-token need --ws (or --nodes)");
        }
        if (!o.rates.isEmpty() && !o.openLoop) {
            throw new IllegalArgumentException("--rates runs open-loop phases: not with --modes closed");
        }
        if (o.out == null) {
            o.out = Path.of("target", "bench", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        return o;
    }

    /** Parses {@code none}, {@code a.b.c.x-a.b.c.y} ranges and comma-separated addresses. */
    static List<InetAddress> parseAddresses(String spec) {
        var out = new ArrayList<InetAddress>();
        if (spec == null || spec.isBlank() || spec.equals("none")) {
            return out;
        }
        try {
            for (var part : spec.split(",")) {
                part = part.strip();
                int dash = part.indexOf('-');
                if (dash < 0) {
                    out.add(InetAddress.getByName(part));
                    continue;
                }
                var from = InetAddress.getByName(part.substring(0, dash)).getAddress();
                var to = InetAddress.getByName(part.substring(dash + 1)).getAddress();
                if (from.length != 4 || to.length != 4 || from[0] != to[0] || from[1] != to[1] || from[2] != to[2]) {
                    throw new IllegalArgumentException("--source-addrs: " + part
                            + " (expected: an IPv4 range within one /24, e.g. 127.0.0.2-127.0.0.9)");
                }
                for (int last = from[3] & 0xFF; last <= (to[3] & 0xFF); last++) {
                    out.add(InetAddress.getByAddress(new byte[] {from[0], from[1], from[2], (byte) last}));
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--source-addrs: " + spec + " (" + e.getMessage() + ")", e);
        }
        return out;
    }

    /** The rates of the open-loop phases: the sweep's, or {@link #rate} alone. */
    List<Integer> openRates() {
        return rates.isEmpty() ? List.of(rate) : rates;
    }

    /** A comma-separated list of distinct whole numbers > 0, e.g. {@code 500,2000,5000}. */
    private static List<Integer> sweepRates(String name, String v) {
        var out = new ArrayList<Integer>();
        for (var s : v.split(",", -1)) {
            int rate = positiveInt(name, s.strip());
            // a phase is named by its rate: the same rate twice would give two phases of one name
            if (out.contains(rate)) {
                throw new IllegalArgumentException(name + ": " + rate + " twice (expected: distinct rates)");
            }
            out.add(rate);
        }
        return List.copyOf(out);
    }

    private static double positive(String name, String v) {
        double d = number(name, v);
        if (!(d > 0)) {
            throw new IllegalArgumentException(name + ": " + v + " (expected: > 0)");
        }
        return d;
    }

    private static double nonNegative(String name, String v) {
        double d = number(name, v);
        if (!(d >= 0)) {
            throw new IllegalArgumentException(name + ": " + v + " (expected: >= 0)");
        }
        return d;
    }

    private static int positiveInt(String name, String v) {
        double d = positive(name, v);
        if (d != Math.rint(d) || d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": " + v + " (expected: a whole number)");
        }
        return (int) d;
    }

    private static double number(String name, String v) {
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": " + v + " (expected: a number)");
        }
    }

    /** Thrown by {@link #parse} for {@code --help}. */
    static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HelpRequested() {
            super(null, null, false, false);
        }
    }
}

package io.imserver.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.app.ImServer;
import io.imserver.app.ServerConfig;
import io.imserver.gateway.GatewayLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of every scenario (small N, about two seconds each) against a real server on loopback: the tool works
 * end to end, moves messages and finds no delivery or storage error. No timing is asserted.
 */
class BenchSmokeIT {
    static ImServer server;
    static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("im-bench-smoke-");
        server = ImServer.start(ServerConfig.builder().wsHost("127.0.0.1").wsPort(0).adminHost("127.0.0.1")
                .adminPort(0).grpcPort(0).dataDir(dataDir).adminToken("bench-smoke-admin-token-0123")
                // as ChildServer: the benchmark's load is far beyond one client's rate
                .limits(l -> l.withConnectionRate(new GatewayLimits.Rate(1_000_000, 1_000_000))
                        .withUserRate(new GatewayLimits.Rate(1_000_000, 1_000_000)))
                .build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static BenchOptions options(Path out, String... extra) {
        var base = new String[] {"--ws", "ws://127.0.0.1:" + server.wsPort() + "/ws",
                "--admin", "http://127.0.0.1:" + server.adminPort(), "--admin-token", server.adminToken(),
                "--out", out.toString(), "--progress", "1",
                "--pairs", "5", "--window", "4", "--rate", "400", "--duration", "2", "--warmup", "0.5", "--jit-warmup", "1", "--drain", "10",
                "--group-sizes", "5,20", "--group-members", "40", "--connections", "150", "--hold", "1",
                "--connect-parallel", "32", "--connect-warmup", "20"};
        var all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return BenchOptions.parse(all);
    }

    @Test
    void everyScenario_movesMessages_andVerifiesExactlyOnce(@TempDir Path out) throws Exception {
        var report = BenchMain.run(options(out, "all"), "smoke");

        assertThat(report.failures()).isEmpty();
        assertThat(report.phases()).extracting(PhaseResult::label).containsExactly("baseline closed", "baseline open",
                "direct closed", "direct open", "group size-5", "group size-20");
        assertThat(report.phases()).allSatisfy(p -> {
            assertThat(p.deliveriesPerSec()).as(p.label() + " deliveries/s").isPositive();
            assertThat(p.acked()).as(p.label() + " acked").isPositive();
            assertThat(p.verification().ok()).as(p.label() + " verification " + p.verification()).isTrue();
            assertThat(p.verification().delivery().lostDeliveries()).isZero();
            assertThat(p.verification().delivery().duplicates()).isZero();
            assertThat(p.verification().delivery().extras()).isZero();
        });
        assertThat(report.phases()).filteredOn(p -> !p.scenario().equals("baseline")).allSatisfy(p -> {
            assertThat(p.verification().stored()).isNotNull();
            assertThat(p.verification().stored().expected()).isPositive();
            assertThat(p.verification().stored().missing()).isZero();
            assertThat(p.verification().stored().duplicates()).isZero();
            assertThat(p.ratio()).isNotNull();
            assertThat(p.ratio().throughput()).isPositive();
        });
        var groups = report.phases().stream().filter(p -> p.scenario().equals("group")).toList();
        assertThat(groups).allSatisfy(p -> assertThat(p.fanout().count()).isPositive());

        var c = report.connections();
        assertThat(c).isNotNull();
        assertThat(c.signedIn()).isEqualTo(150);
        assertThat(c.failed()).isZero();
        assertThat(c.signInsPerSec()).isPositive();
        assertThat(c.after().connections()).isGreaterThanOrEqualTo(150);

        assertThat(out.resolve("results.json")).exists();
        assertThat(Files.readString(out.resolve("results.md"))).contains("| direct | closed", "## Connections",
                "## Targets of issue 5");
        assertThat(report.charts()).contains("latency-push.png", "latency-ack.png", "throughput.png");
        for (var chart : report.charts()) {
            assertThat(Files.size(out.resolve(chart))).isPositive();
        }
    }

    @Test
    void latencySweep_runsTheOpenLoopOncePerRate_onServerAndRelay(@TempDir Path out) throws Exception {
        var report = BenchMain.run(options(out, "baseline", "direct", "--modes", "open", "--rates", "200,400",
                "--duration", "1.5"), "smoke");

        assertThat(report.failures()).isEmpty();
        assertThat(report.phases()).extracting(PhaseResult::label).containsExactly("baseline open-200",
                "baseline open-400", "direct open-200", "direct open-400");
        assertThat(report.phases()).allSatisfy(p -> {
            assertThat(p.acked()).as(p.label() + " acked").isPositive();
            assertThat(p.verification().ok()).as(p.label() + " verification " + p.verification()).isTrue();
        });
        assertThat(report.phases()).filteredOn(p -> p.scenario().equals("direct")).allSatisfy(p -> {
            assertThat(p.verification().stored().expected()).as(p.label() + " stored").isPositive();
            assertThat(p.ratio()).as(p.label() + " paired with the relay at its rate").isNotNull();
        });
        assertThat(report.sweep()).extracting(LatencySweep.Row::rate).containsExactly(200, 400);
        assertThat(report.sweep()).allSatisfy(r -> {
            assertThat(r.server().count()).isPositive();
            assertThat(r.relay().count()).isPositive();
            assertThat(r.verified()).isTrue();
        });
        assertThat(Files.readString(out.resolve("results.md"))).contains("## Latency sweep", "| 200 | ", "| 400 | ");
        assertThat(Files.readString(out.resolve("results.json"))).contains("\"sweep\"", "\"relayDeliveredPerSec\"");
        assertThat(report.charts()).contains(LatencySweep.CHART);
        assertThat(Files.size(out.resolve(LatencySweep.CHART))).isPositive();
    }

    @Test
    void connections_canBeSpreadOverClientProcesses(@TempDir Path out) throws Exception {
        var report = BenchMain.run(options(out, "connections", "--connections", "60", "--client-procs", "2"),
                "smoke");
        assertThat(report.failures()).isEmpty();
        assertThat(report.connections().processes()).isEqualTo(2);
        assertThat(report.connections().signedIn()).isEqualTo(60);
        assertThat(report.connections().signInsPerSec()).isPositive();
    }
}

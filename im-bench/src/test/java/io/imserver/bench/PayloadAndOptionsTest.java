package io.imserver.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PayloadAndOptionsTest {

    @Test
    void payload_roundTrips_andIsPaddedToTheMinimumLength() {
        var text = Payload.encode(123456789L, 42, 7, 987654321012L, 64);
        assertThat(text).hasSize(64).startsWith("b|123456789|42|7|987654321012|");
        var p = Payload.parse(text);
        assertThat(p).isEqualTo(new Payload.Parsed(123456789L, 42, 7, 987654321012L));
        assertThat(p.key()).isEqualTo(Payload.key(42, 7));
        assertThat(Payload.stream(p.key())).isEqualTo(42);
        assertThat(Payload.seq(p.key())).isEqualTo(7);
        assertThat(Payload.parse(Payload.encode(1, 2, 3, 4, 0))).isEqualTo(new Payload.Parsed(1, 2, 3, 4));
    }

    @Test
    void payload_ofOtherTexts_isNull() {
        assertThat(Payload.parse(null)).isNull();
        assertThat(Payload.parse("hello")).isNull();
        assertThat(Payload.parse("b|1|2|3")).isNull();
        assertThat(Payload.parse("b|x|2|3|4|")).isNull();
    }

    @Test
    void key_keepsStreamAndSeqApart_forLargeSeqs() {
        long key = Payload.key(3, Integer.MAX_VALUE);
        assertThat(Payload.stream(key)).isEqualTo(3);
        assertThat(Payload.seq(key)).isEqualTo(Integer.MAX_VALUE);
        assertThat(Payload.key(3, 0)).isNotEqualTo(Payload.key(0, 3));
    }

    @Test
    void clientMsgIds_areOffByDefault_andUniquePerRunStreamAndSeq() {
        assertThat(BenchOptions.parse(new String[0]).clientMsgIds).isFalse();
        assertThat(BenchOptions.parse(new String[] {"direct", "--client-msg-ids"}).clientMsgIds).isTrue();
        var ids = java.util.Set.of(Payload.clientMsgId(1, 2, 3), Payload.clientMsgId(1, 23, 3),
                Payload.clientMsgId(1, 2, 33), Payload.clientMsgId(12, 2, 3));
        assertThat(ids).hasSize(4).allSatisfy(id -> assertThat(id.length()).isLessThanOrEqualTo(64));
    }

    @Test
    void options_defaultToAllScenarios_andAStartedServer() {
        var o = BenchOptions.parse(new String[0]);
        assertThat(o.scenarios).containsExactly("baseline", "direct", "group", "connections");
        assertThat(o.wsUrls).isEmpty();
        assertThat(o.sourceAddresses).hasSize(8);
        assertThat(o.sourceAddresses.get(0).getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(o.sourceAddresses.get(7).getHostAddress()).isEqualTo("127.0.0.9");
        assertThat(o.out.toString()).startsWith("target/bench/");
    }

    @Test
    void options_parseScenariosValuesAndNodes() {
        var o = BenchOptions.parse(new String[] {"direct", "--pairs", "7", "--rate=500", "--modes", "open",
                "--nodes", "ws://127.0.0.1:1/ws,ws://127.0.0.1:2/ws", "--admin", "http://127.0.0.1:3",
                "--admin-token", "t", "--group-sizes", "10,20", "--source-addrs", "none", "connections"});
        assertThat(o.scenarios).containsExactly("direct", "connections");
        assertThat(o.pairs).isEqualTo(7);
        assertThat(o.rate).isEqualTo(500);
        assertThat(o.closedLoop).isFalse();
        assertThat(o.openLoop).isTrue();
        assertThat(o.wsUrls).hasSize(2);
        assertThat(o.groupSizes).containsExactly(10, 20);
        assertThat(o.sourceAddresses).isEmpty();
    }

    @Test
    void options_refuseNonsense() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"bogus"})).hasMessageContaining("unknown scenario");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--pairs", "0"})).hasMessageContaining("> 0");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--pairs", "1.5"})).hasMessageContaining("whole");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--ws", "ws://x/ws"})).hasMessageContaining("--admin");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--window"})).hasMessageContaining("missing value");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--group-sizes", "1"})).hasMessageContaining(">= 2");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--help"}))
                .isInstanceOf(BenchOptions.HelpRequested.class);
        assertThat(BenchOptions.usage()).contains("baseline", "--rate", "--client-procs", "--jfr");
    }

    @Test
    void options_rates_listTheOpenLoopRatesOfASweep() {
        var o = BenchOptions.parse(new String[] {"direct", "--rates", "500, 2000,5000,10000,15000"});
        assertThat(o.rates).containsExactly(500, 2000, 5000, 10000, 15000);
        assertThat(o.openRates()).containsExactly(500, 2000, 5000, 10000, 15000);
        assertThat(BenchOptions.parse(new String[] {"--rates=400"}).rates).containsExactly(400);
    }

    @Test
    void options_withoutRates_runOneOpenPhaseAtRate() {
        var o = BenchOptions.parse(new String[] {"--rate", "700"});
        assertThat(o.rates).isEmpty();
        assertThat(o.openRates()).containsExactly(700);
        assertThat(DirectScenario.openPhaseName(o, 700)).isEqualTo("open");
        assertThat(DirectScenario.openPhaseName(BenchOptions.parse(new String[] {"--rates", "700"}), 700))
                .isEqualTo("open-700");
    }

    @Test
    void options_rates_refuseZeroNegativesAndNonNumbers() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--rates", "500,0"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--rates: 0 (expected: > 0)");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--rates", "-5,500"}))
                .hasMessage("--rates: -5 (expected: > 0)");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--rates", "500,fast"}))
                .hasMessage("--rates: fast (expected: a number)");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--rates", "500,,2000"}))
                .hasMessage("--rates:  (expected: a number)");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--rates", "1.5"}))
                .hasMessage("--rates: 1.5 (expected: a whole number)");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--rates", "500,500"}))
                .hasMessage("--rates: 500 twice (expected: distinct rates)");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--rates"})).hasMessage("--rates: missing value");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--rates", "500", "--modes", "closed"}))
                .hasMessageContaining("--rates runs open-loop phases");
        assertThat(BenchOptions.usage()).contains("--rates A,B,...");
    }

    @Test
    void sourceAddresses_areSlicedOverWorkerProcesses() {
        var all = BenchOptions.parseAddresses("127.0.0.2-127.0.0.9");
        var a = ConnectionsScenario.slice(all, 0, 3);
        var b = ConnectionsScenario.slice(all, 1, 3);
        var c = ConnectionsScenario.slice(all, 2, 3);
        assertThat(a.size() + b.size() + c.size()).isEqualTo(8);
        assertThat(a).doesNotContainAnyElementsOf(b);
        assertThat(ConnectionsScenario.slice(all.subList(0, 1), 1, 3)).hasSize(1);
    }

    @Test
    void metrics_areReadFromPrometheusText() {
        var text = """
                # HELP im_connections signed-in
                im_connections 19000.0
                process_resident_memory_bytes 2.5E8
                jvm_memory_used_bytes{area="heap",id="Eden Space"} 1.0E7
                jvm_memory_used_bytes{area="heap",id="Tenured Gen"} 2.0E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 3.0E7
                process_cpu_time_ns_total 5.0E9
                """;
        var s = ServerSample.parse(text, 1_000_000_000L);
        assertThat(s.connections()).isEqualTo(19000);
        assertThat(s.rssBytes()).isEqualTo(2.5e8);
        assertThat(s.heapUsedBytes()).isEqualTo(3.0e7);
        assertThat(s.nonHeapUsedBytes()).isEqualTo(3.0e7);
        var later = ServerSample.parse(text.replace("5.0E9", "5.5E9"), 3_000_000_000L);
        assertThat(later.cpuPercentSince(s)).isEqualTo(25.0);
    }

    @Test
    void options_nodesCount_startsAClusterOnASharedDatabase() {
        var o = BenchOptions.parse(new String[] {"direct", "--nodes", "3", "--server-db-url",
                "jdbc:postgresql://127.0.0.1:5432/imbench?user=postgres", "--redis-url", "redis://127.0.0.1:6380"});
        assertThat(o.childNodes).isEqualTo(3);
        assertThat(o.wsUrls).isEmpty();
        assertThat(o.redisUrl).isEqualTo("redis://127.0.0.1:6380");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--nodes", "3"}))
                .hasMessageContaining("needs --server-db-url of a PostgreSQL or MariaDB database");
    }
}

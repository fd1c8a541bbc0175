package io.imserver.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void defaultSchedule_doublesFrom200msAndCapsAt10s() {
        var b = Backoff.DEFAULT;
        assertThat(b.baseMillis(0)).isEqualTo(200);
        assertThat(b.baseMillis(1)).isEqualTo(400);
        assertThat(b.baseMillis(2)).isEqualTo(800);
        assertThat(b.baseMillis(5)).isEqualTo(6400);
        assertThat(b.baseMillis(6)).isEqualTo(10_000);
        assertThat(b.baseMillis(100)).isEqualTo(10_000);
        assertThat(b.baseMillis(Integer.MAX_VALUE)).isEqualTo(10_000);
    }

    @Test
    void jitter_staysWithinHalfTheBaseAndTheBase() {
        var b = Backoff.DEFAULT;
        assertThat(b.delayMillis(0, () -> 0.0)).isEqualTo(200);
        assertThat(b.delayMillis(0, () -> 0.999_999)).isEqualTo(100);
        var random = new Random(42);
        for (int attempt = 0; attempt < 20; attempt++) {
            long base = b.baseMillis(attempt);
            for (int i = 0; i < 200; i++) {
                long d = b.delayMillis(attempt, random::nextDouble);
                assertThat(d).isBetween(base / 2, base).isLessThanOrEqualTo(10_000);
            }
        }
    }

    @Test
    void jitterSpreadsClientsThatFailedTogether() {
        var random = new Random(7);
        var delays = new java.util.HashSet<Long>();
        for (int i = 0; i < 100; i++) {
            delays.add(Backoff.DEFAULT.delayMillis(3, random::nextDouble));
        }
        assertThat(delays.size()).isGreaterThan(50);
    }

    @Test
    void noJitter_isExactlyExponential_andFullJitterCanBeShort() {
        var exact = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1), 0);
        assertThat(exact.delayMillis(0, () -> 0.7)).isEqualTo(50);
        assertThat(exact.delayMillis(3, () -> 0.7)).isEqualTo(400);
        assertThat(exact.delayMillis(9, () -> 0.7)).isEqualTo(1000);
        var full = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 1);
        assertThat(full.delayMillis(0, () -> 0.999)).isEqualTo(1);
    }

    @Test
    void invalidSettings_areRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0.5))
                .hasMessageContaining("initial");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0.5))
                .hasMessageContaining("max");
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Duration.ofSeconds(1), 1.5))
                .hasMessageContaining("jitter");
    }

    @Test
    void options_haveTheDocumentedDefaults_andValidate() {
        var o = ImClientOptions.builder("ws://127.0.0.1:9091/ws").identity(1, 2, 3, "t").build();
        assertThat(o.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.reconnect()).isEqualTo(Backoff.DEFAULT);
        assertThat(o.autoReconnect()).isTrue();
        assertThat(o.port()).isEqualTo(9091);
        assertThat(o.toBuilder().userId(5).build().userId()).isEqualTo(5);
        assertThatThrownBy(() -> ImClientOptions.builder("http://x/ws").identity(1, 2, 3, "t").build())
                .hasMessageContaining("ws://");
        assertThatThrownBy(() -> ImClientOptions.builder("ws://x/ws").identity(1, 2, 0, "t").build())
                .hasMessageContaining("deviceId");
        assertThatThrownBy(() -> ImClientOptions.builder("ws://x/ws").identity(1, 2, 3, "t")
                .heartbeatInterval(Duration.ZERO).build()).hasMessageContaining("heartbeatInterval");
    }
}

package io.imserver.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private final AtomicLong now = new AtomicLong(123_456_789L);

    private TokenBucket bucket(int perSecond, int burst) {
        return new TokenBucket(new GatewayLimits.Rate(perSecond, burst), now::get);
    }

    private static int takes(TokenBucket bucket, int attempts) {
        return (int) IntStream.range(0, attempts).filter(i -> bucket.tryTake()).count();
    }

    @Test
    void fullBucket_allowsItsBurstAtOnce_thenRefuses() {
        var bucket = bucket(10, 5);
        assertThat(takes(bucket, 5)).isEqualTo(5);
        assertThat(bucket.tryTake()).isFalse();
    }

    @Test
    void tokensFlowBackAtTheRate() {
        var bucket = bucket(10, 5);
        takes(bucket, 5);
        now.addAndGet(99_000_000); // just under one interval of 100 ms
        assertThat(bucket.tryTake()).isFalse();
        now.addAndGet(1_000_000);
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isFalse();
        now.addAndGet(300_000_000);
        assertThat(takes(bucket, 10)).isEqualTo(3);
    }

    @Test
    void aLongQuietSpell_savesNoMoreThanTheBurst() {
        var bucket = bucket(10, 5);
        now.addAndGet(3_600_000_000_000L);
        assertThat(takes(bucket, 100)).isEqualTo(5);
    }

    @Test
    void sustainedLoad_getsExactlyTheRate() {
        var bucket = bucket(50, 1);
        int allowed = 0;
        for (int ms = 0; ms < 10_000; ms++) { // ten seconds, one attempt per millisecond
            now.addAndGet(1_000_000);
            allowed += bucket.tryTake() ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(500);
    }

    @Test
    void refusedTakes_doNotPushTheNextTokenFurtherAway() {
        var bucket = bucket(10, 1);
        assertThat(bucket.tryTake()).isTrue();
        takes(bucket, 1000);
        now.addAndGet(100_000_000);
        assertThat(bucket.tryTake()).isTrue();
    }

    @Test
    void clockNearTheWrapOfNanoTime_behavesTheSame() {
        now.set(Long.MAX_VALUE - 50_000_000);
        var bucket = bucket(10, 2);
        assertThat(takes(bucket, 5)).isEqualTo(2);
        now.addAndGet(100_000_000); // wraps to negative
        assertThat(takes(bucket, 5)).isEqualTo(1);
    }

    @Test
    void concurrentTakers_neverGetMoreThanTheBurstTogether() throws InterruptedException {
        var bucket = bucket(1, 1000);
        var taken = new AtomicInteger();
        var threads = IntStream.range(0, 8).mapToObj(i -> Thread.ofPlatform().start(() -> {
            for (int j = 0; j < 500; j++) {
                if (bucket.tryTake()) {
                    taken.incrementAndGet();
                }
            }
        })).toList();
        for (var t : threads) {
            t.join();
        }
        assertThat(taken.get()).isEqualTo(1000);
    }
}

package io.imserver.gateway;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A lock-free token bucket: {@code perSecond} tokens flow in each second, at most {@code burst} are saved up, and
 * {@link #tryTake} takes one if there is one. Safe for any number of threads (the connections of one user run on
 * different event loops).
 *
 * @implNote The generic cell rate algorithm: one number, the time at which the bucket is full again, kept in an
 *     {@link AtomicLong} and moved by compare-and-set. A take is allowed while that time lies less than
 *     {@code burst} intervals ahead of now.
 */
final class TokenBucket {
    private final long intervalNanos;
    private final long toleranceNanos;
    private final LongSupplier nanoClock;
    /** When the bucket would be full again, on {@link #nanoClock}'s scale. */
    private final AtomicLong fullAt;

    TokenBucket(GatewayLimits.Rate rate, LongSupplier nanoClock) {
        this(1_000_000_000L / rate.perSecond(), rate.burst(), nanoClock);
    }

    /** A bucket that gains one token every {@code intervalNanos}, up to {@code burst}. */
    TokenBucket(long intervalNanos, int burst, LongSupplier nanoClock) {
        this.intervalNanos = Math.max(1, intervalNanos);
        this.toleranceNanos = this.intervalNanos * burst;
        this.nanoClock = nanoClock;
        this.fullAt = new AtomicLong(nanoClock.getAsLong());
    }

    TokenBucket(GatewayLimits.Rate rate) {
        this(rate, System::nanoTime);
    }

    /** Takes a token: false (and nothing taken) when the bucket is empty. */
    boolean tryTake() {
        long now = nanoClock.getAsLong();
        while (true) {
            long current = fullAt.get();
            // nanoTime may wrap: compare differences, never the values
            long start = current - now < 0 ? now : current;
            long next = start + intervalNanos;
            if (next - now > toleranceNanos) {
                return false;
            }
            if (fullAt.compareAndSet(current, next)) {
                return true;
            }
        }
    }
}

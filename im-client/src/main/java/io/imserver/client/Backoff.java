package io.imserver.client;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential reconnect backoff with jitter: attempt {@code n} (0-based) waits a random time in
 * {@code [base * (1 - jitter), base]} where {@code base = min(max, initial * 2^n)}.
 *
 * <p>The jitter spreads the reconnects of many clients that lost their server at the same moment, so they do not
 * all come back in the same millisecond. The defaults (200 ms initial, 10 s max, jitter 0.5) give 100-200 ms, then
 * 200-400 ms, 400-800 ms, ... up to 5-10 s.
 *
 * @param initial delay base of the first attempt (&gt; 0)
 * @param max largest delay (&ge; initial)
 * @param jitter fraction of the base that is randomised, 0 (none) to 1 (anywhere in {@code [0, base]})
 */
public record Backoff(Duration initial, Duration max, double jitter) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.5);

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial: " + initial + " (expected: > 0)");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= initial " + initial + ")");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter: " + jitter + " (expected: 0-1)");
        }
    }

    /** The base delay of attempt {@code attempt} (0-based), before jitter, in milliseconds. */
    public long baseMillis(int attempt) {
        long initialMs = initial.toMillis();
        long maxMs = max.toMillis();
        int shift = Math.max(0, Math.min(attempt, 40));
        if (initialMs > (maxMs >> shift)) {
            return maxMs;
        }
        return Math.min(maxMs, initialMs << shift);
    }

    /**
     * The delay before attempt {@code attempt} (0-based), in milliseconds.
     *
     * @param random a uniform random number in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble}
     */
    public long delayMillis(int attempt, DoubleSupplier random) {
        long base = baseMillis(attempt);
        double r = random.getAsDouble();
        return Math.max(1, Math.round(base * (1 - jitter * r)));
    }
}

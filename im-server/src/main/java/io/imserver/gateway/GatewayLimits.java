package io.imserver.gateway;

import java.time.Duration;
import java.util.Objects;

/**
 * What one client may do to the gateway before it is slowed down or shut out; validated at construction.
 *
 * @param connectionRate commands per second one connection may send, with its burst ({@code IM_RATE_CONN_PER_S},
 *     {@code IM_RATE_CONN_BURST}; 50/s, burst 100)
 * @param userRate commands per second all connections of one user on this node may send together, with its burst
 *     ({@code IM_RATE_USER_PER_S}, {@code IM_RATE_USER_BURST}; 100/s, burst 200). Per node: a user connected to
 *     two nodes of a cluster may send up to twice as much
 * @param signInTimeout a connection not signed in this long after it opened is closed ({@code IM_SIGN_IN_TIMEOUT_S},
 *     10 s)
 * @param maxConnectionsPerAddress concurrent connections one remote address may hold ({@code IM_MAX_CONN_PER_IP},
 *     1000); the next one is closed at once. The address is the TCP peer's: {@code X-Forwarded-For} is not trusted
 * @param maxViolations protocol violations (malformed frames, unknown commands, identity mismatches, rate-limited
 *     commands) that close a connection with 1008 when they come within {@code violationWindow}
 *     ({@code IM_MAX_VIOLATIONS}, 20; {@code IM_VIOLATION_WINDOW_S}, 10 s)
 */
public record GatewayLimits(Rate connectionRate, Rate userRate, Duration signInTimeout, int maxConnectionsPerAddress,
                            int maxViolations, Duration violationWindow) {

    /** The limits that never bother a well-behaved client. */
    public static final GatewayLimits DEFAULTS = new GatewayLimits(new Rate(50, 100), new Rate(100, 200),
            Duration.ofSeconds(10), 1000, 20, Duration.ofSeconds(10));

    /**
     * A token bucket's settings: {@code perSecond} tokens flow in each second, up to {@code burst} saved.
     *
     * @param perSecond sustained commands per second, > 0
     * @param burst commands that may come at once after a quiet spell, >= 1
     */
    public record Rate(int perSecond, int burst) {
        public Rate {
            if (perSecond <= 0) {
                throw new IllegalArgumentException("perSecond: " + perSecond + " (expected: > 0)");
            }
            if (burst < 1) {
                throw new IllegalArgumentException("burst: " + burst + " (expected: >= 1)");
            }
        }
    }

    public GatewayLimits {
        Objects.requireNonNull(connectionRate, "connectionRate");
        Objects.requireNonNull(userRate, "userRate");
        Objects.requireNonNull(signInTimeout, "signInTimeout");
        Objects.requireNonNull(violationWindow, "violationWindow");
        if (signInTimeout.isNegative() || signInTimeout.isZero()) {
            throw new IllegalArgumentException("signInTimeout: " + signInTimeout + " (expected: > 0)");
        }
        if (maxConnectionsPerAddress <= 0) {
            throw new IllegalArgumentException(
                    "maxConnectionsPerAddress: " + maxConnectionsPerAddress + " (expected: > 0)");
        }
        // one mistake must never close a connection
        if (maxViolations < 2) {
            throw new IllegalArgumentException("maxViolations: " + maxViolations + " (expected: >= 2)");
        }
        if (violationWindow.toMillis() < 1) {
            throw new IllegalArgumentException("violationWindow: " + violationWindow + " (expected: >= 1 ms)");
        }
    }

    public GatewayLimits withConnectionRate(Rate v) {
        return new GatewayLimits(v, userRate, signInTimeout, maxConnectionsPerAddress, maxViolations, violationWindow);
    }

    public GatewayLimits withUserRate(Rate v) {
        return new GatewayLimits(connectionRate, v, signInTimeout, maxConnectionsPerAddress, maxViolations,
                violationWindow);
    }

    public GatewayLimits withSignInTimeout(Duration v) {
        return new GatewayLimits(connectionRate, userRate, v, maxConnectionsPerAddress, maxViolations,
                violationWindow);
    }

    public GatewayLimits withMaxConnectionsPerAddress(int v) {
        return new GatewayLimits(connectionRate, userRate, signInTimeout, v, maxViolations, violationWindow);
    }

    public GatewayLimits withViolations(int max, Duration window) {
        return new GatewayLimits(connectionRate, userRate, signInTimeout, maxConnectionsPerAddress, max, window);
    }
}

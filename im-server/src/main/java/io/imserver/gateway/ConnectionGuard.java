package io.imserver.gateway;

import io.imserver.auth.Identity;
import io.imserver.protocol.ErrorCode;
import io.imserver.protocol.Outputs;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pb.Output;

/**
 * One connection's limits: its command rate and its user's (set at sign-in), and its count of protocol violations.
 * Too many violations in the window close the connection with 1008 "too many protocol violations"; one mistake
 * never does. Used on the connection's event loop only.
 */
final class ConnectionGuard {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
    static final String TOO_MANY_VIOLATIONS = "too many protocol violations";

    private final GatewayLimits limits;
    private final UserBuckets userBuckets;
    private final TokenBucket violations;
    private TokenBucket connectionBucket;
    private GatewayLimits.Rate connectionRate;
    private TokenBucket userBucket;
    private GatewayLimits.Rate userRate;
    private Identity identity;
    private boolean closing;

    ConnectionGuard(GatewayLimits limits, UserBuckets userBuckets) {
        this.limits = limits;
        this.userBuckets = userBuckets;
        // maxViolations - 1 allowed at once, one more back every window / maxViolations: the next one closes
        this.violations = new TokenBucket(limits.violationWindow().toNanos() / limits.maxViolations(),
                limits.maxViolations() - 1, System::nanoTime);
    }

    GatewayLimits limits() {
        return limits;
    }

    /** Starts counting the commands of a signed-in connection against its own and its user's rate. */
    void signedIn(Identity who, AppRateLimits.Rates rates) {
        if (identity != null) {
            return;
        }
        identity = who;
        connectionRate = rates.connection();
        connectionBucket = new TokenBucket(connectionRate);
        userRate = rates.user();
        userBucket = userBuckets.acquire(who, userRate);
    }

    /** The connection is gone or going: its user's bucket no longer counts it. Idempotent. */
    void signedOut() {
        if (identity != null && userBucket != null) {
            userBuckets.release(identity);
            userBucket = null;
        }
    }

    /**
     * Takes a token for one command: null when allowed, else the {@link ErrorCode#RATE_LIMITED} reply (nothing is
     * taken from the user's bucket when the connection's own is empty).
     */
    Output admit(String type) {
        if (connectionBucket == null) {
            return null;
        }
        if (!connectionBucket.tryTake()) {
            return Outputs.error(type, ErrorCode.RATE_LIMITED,
                    "rate limit: " + connectionRate.perSecond() + " commands/s per connection");
        }
        if (userBucket != null && !userBucket.tryTake()) {
            return Outputs.error(type, ErrorCode.RATE_LIMITED,
                    "rate limit: " + userRate.perSecond() + " commands/s per user");
        }
        return null;
    }

    /**
     * Counts a violation; past the limit the connection is closed with 1008 after what was already written.
     *
     * @param what for the log: which kind of violation
     */
    void violation(ChannelHandlerContext ctx, String what) {
        if (closing || violations.tryTake()) {
            return;
        }
        closing = true;
        log.debug("closing {} ({}): {} ({} within {})", ctx.channel().remoteAddress(), identity, TOO_MANY_VIOLATIONS,
                limits.maxViolations(), limits.violationWindow());
        ctx.channel().writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION, TOO_MANY_VIOLATIONS))
                .addListener(ChannelFutureListener.CLOSE);
    }
}

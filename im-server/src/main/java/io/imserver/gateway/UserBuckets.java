package io.imserver.gateway;

import io.imserver.auth.Identity;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token bucket each user shares among all its connections to this node, kept while the user has one. Per node:
 * a user connected to two nodes of a cluster has a bucket on each.
 */
final class UserBuckets {
    private record UserKey(long appId, long userId) {
    }

    private static final class Shared {
        final TokenBucket bucket;
        int connections;

        Shared(TokenBucket bucket) {
            this.bucket = bucket;
        }
    }

    private final ConcurrentHashMap<UserKey, Shared> users = new ConcurrentHashMap<>();

    /** The user's bucket, made with {@code rate} if the user has no other connection; pair with {@link #release}. */
    TokenBucket acquire(Identity identity, GatewayLimits.Rate rate) {
        return users.compute(new UserKey(identity.appId(), identity.userId()), (key, shared) -> {
            var s = shared != null ? shared : new Shared(new TokenBucket(rate));
            s.connections++;
            return s;
        }).bucket;
    }

    void release(Identity identity) {
        users.computeIfPresent(new UserKey(identity.appId(), identity.userId()),
                (key, shared) -> --shared.connections == 0 ? null : shared);
    }
}

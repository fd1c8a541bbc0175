package io.imserver.messaging;

import io.imserver.auth.Identity;
import io.imserver.auth.IssuedToken;
import io.imserver.auth.TokenService;
import io.imserver.cluster.ClusterEvents;
import io.imserver.protocol.ErrorCode;
import io.imserver.protocol.ImException;
import io.imserver.store.App;
import io.imserver.store.AppLimits;
import io.imserver.store.Store;
import io.imserver.store.User;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import pb.GetUserInfoReq;
import pb.GetUserInfoResp;

/** Apps, users and their tokens: what the admin API manages and {@code getuserinfo} reads. */
public final class DirectoryService {
    /** The longest token lifetime the admin API issues. */
    public static final Duration MAX_TOKEN_TTL = Duration.ofDays(366);

    private final Store store;
    private final Clock clock;
    private final TokenService tokens;
    private final ConcurrentHashMap<Long, String> secrets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, AppLimits> limits = new ConcurrentHashMap<>();
    /** The highest rate or burst an app may be given. */
    public static final int MAX_RATE = 1_000_000;

    private final ClusterEvents events;

    /**
     * @param events where changes of apps and users are announced to the other nodes of a cluster, and heard from
     *     them: each node then drops what it cached of that app or user
     */
    public DirectoryService(Store store, Clock clock, ClusterEvents events) {
        this.store = store;
        this.clock = clock;
        this.events = events;
        this.tokens = new TokenService(this::secretOf, this::checkSignIn, clock);
        events.subscribe(this::changedElsewhere);
    }

    private void changedElsewhere(String event) {
        if (event.startsWith(APP_CHANGED)) {
            long appId = Long.parseLong(event.substring(APP_CHANGED.length()));
            secrets.remove(appId);
            limits.remove(appId);
        } else if (event.startsWith(USER_CHANGED)) {
            store.invalidateCaches();
        }
    }

    private static final String APP_CHANGED = "app-changed:";
    private static final String USER_CHANGED = "user-changed:";

    /** The event that makes every node drop what it cached of a user. */
    static String userChanged(long appId, long userId) {
        return USER_CHANGED + appId + ":" + userId;
    }

    public TokenService tokens() {
        return tokens;
    }

    /** The app's token-signing secret, cached once known (a secret never changes). */
    public Optional<String> secretOf(long appId) {
        var cached = secrets.get(appId);
        if (cached != null) {
            return Optional.of(cached);
        }
        var secret = store.read(tx -> tx.apps().find(appId)).map(App::secret);
        secret.ifPresent(s -> secrets.put(appId, s));
        return secret;
    }

    /** The app's own command rates, cached until the app changes (on any node of a cluster). */
    public AppLimits limitsOf(long appId) {
        var cached = limits.get(appId);
        if (cached != null) {
            return cached;
        }
        var read = store.read(tx -> tx.apps().limits(appId));
        limits.put(appId, read);
        return read;
    }

    /**
     * Sets the app's own command rates (0: the server's); connections signed in from now on get them.
     *
     * @throws ImException {@link ErrorCode#INVALID_REQUEST} for a value out of 0-{@value #MAX_RATE},
     *     {@link ErrorCode#NOT_FOUND} for an unknown app
     */
    public AppLimits setLimits(long appId, AppLimits newLimits) {
        requireRate("conn_per_s", newLimits.connPerSecond());
        requireRate("conn_burst", newLimits.connBurst());
        requireRate("user_per_s", newLimits.userPerSecond());
        requireRate("user_burst", newLimits.userBurst());
        if (!store.write(tx -> tx.apps().setLimits(appId, newLimits, clock.millis())).join()) {
            throw ImException.notFound("app " + appId + " does not exist");
        }
        limits.remove(appId);
        events.publish(APP_CHANGED + appId);
        return newLimits;
    }

    /** A rate or burst given to an app, checked: 0-{@value #MAX_RATE}. */
    public static int requireRate(String name, long value) {
        if (value < 0 || value > MAX_RATE) {
            throw ImException.invalid(name + ": " + value + " (expected: 0-" + MAX_RATE + "; 0 is the server's setting)");
        }
        return (int) value;
    }

    /** Refuses sign-in to a disabled app, for a deleted user, and with a token issued at or before its revocation. */
    private void checkSignIn(long appId, long userId, long issuedAtMs) {
        var state = store.read(tx -> tx.accounts().signInState(appId, userId))
                .orElseThrow(() -> new ImException(ErrorCode.TOKEN_INVALID, "app " + appId + " does not exist"));
        if (state.appDisabledAt() > 0) {
            throw ImException.forbidden("app " + appId + " is disabled");
        }
        if (!state.userExists()) {
            throw new ImException(ErrorCode.TOKEN_INVALID, "user " + userId + " does not exist in app " + appId);
        }
        if (issuedAtMs <= state.tokensRevokedAt()) {
            throw new ImException(ErrorCode.TOKEN_INVALID, "token was revoked (tokens of user " + userId
                    + " issued at or before " + state.tokensRevokedAt() + " ms are refused)");
        }
    }

    /** Creates the app, or renames it keeping its secret. */
    public App putApp(long appId, String name) {
        requirePositive("app id", appId);
        if (name == null || name.isBlank()) {
            throw ImException.invalid("name: '" + name + "' (expected: a non-empty name)");
        }
        ImException.requireNoNul("name", name);
        var app = store.write(tx -> tx.apps().upsert(appId, name.strip(), TokenService.newSecret(), clock.millis()))
                .join();
        events.publish(APP_CHANGED + appId);
        return app;
    }

    public App app(long appId) {
        return store.read(tx -> tx.apps().find(appId))
                .orElseThrow(() -> ImException.notFound("app " + appId + " does not exist"));
    }

    /** Creates or replaces a user's profile; the app must exist. */
    public User putUser(long appId, long userId, String nickname, String avatarUrl, int sex, String sign,
                        String account) {
        requirePositive("user id", userId);
        if (sex < 0 || sex > 2) {
            throw ImException.invalid("sex: " + sex + " (expected: 0 unknown, 1 male or 2 female)");
        }
        app(appId);
        long now = clock.millis();
        var user = new User(appId, userId, ImException.requireNoNul("nickname", nullToEmpty(nickname)),
                ImException.requireNoNul("avatar_url", nullToEmpty(avatarUrl)), sex,
                ImException.requireNoNul("sign", nullToEmpty(sign)), ImException.requireNoNul("account",
                nullToEmpty(account)), now, now);
        var stored = store.write(tx -> {
            var saved = tx.users().upsert(user);
            tx.accounts().peerProfileChanged(appId, userId); // incremental conversation lists show the new profile
            return saved;
        }).join();
        events.publish(userChanged(appId, userId));
        return stored;
    }

    public User user(long appId, long userId) {
        return store.read(tx -> tx.users().find(appId, userId))
                .orElseThrow(() -> ImException.notFound("user " + userId + " does not exist in app " + appId));
    }

    /** A token for one device of an existing user. */
    public IssuedToken issueToken(long appId, long userId, long deviceId, long ttlSeconds) {
        requirePositive("device_id", deviceId);
        if (ttlSeconds <= 0 || ttlSeconds > MAX_TOKEN_TTL.toSeconds()) {
            throw ImException.invalid("ttl_seconds: " + ttlSeconds + " (expected: 1-" + MAX_TOKEN_TTL.toSeconds() + ")");
        }
        var app = app(appId);
        user(appId, userId);
        if (store.read(tx -> tx.accounts().signInState(appId, userId)).orElseThrow().appDisabledAt() > 0) {
            throw ImException.forbidden("app " + appId + " is disabled");
        }
        return tokens.issue(appId, app.secret(), userId, deviceId, Duration.ofSeconds(ttlSeconds));
    }

    /** {@code getuserinfo}: a user of the caller's app; user_id 0 means the caller. */
    public GetUserInfoResp userInfo(Identity who, GetUserInfoReq req) {
        if (req.getUserId() < 0) {
            throw ImException.invalid("user_id: " + req.getUserId() + " (expected: >= 0)");
        }
        long userId = req.getUserId() == 0 ? who.userId() : req.getUserId();
        var u = user(who.appId(), userId);
        return GetUserInfoResp.newBuilder()
                .setUserId(u.userId())
                .setNickname(u.nickname())
                .setSex(u.sex())
                .setAvatarUrl(u.avatarUrl())
                .setSign(u.sign())
                .setAccount(u.account())
                .build();
    }

    static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw ImException.invalid(name + ": " + value + " (expected: > 0)");
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

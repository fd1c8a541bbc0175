package io.imserver.client;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How an {@link ImClient} connects and signs in. Immutable; build with {@link #builder(String)}; derive variants
 * with {@link #toBuilder()} (e.g. the same settings for another user).
 *
 * @param url the server's WebSocket URL, {@code ws://host:port/ws}
 * @param appId app (tenant) to sign in to
 * @param userId user id inside the app
 * @param deviceId this device's id (&gt; 0); the same app/user/device signing in elsewhere replaces this connection
 * @param token the credential for app/user/device (from the admin API's {@code POST /api/v1/apps/{id}/tokens})
 * @param heartbeatInterval how often a {@code heartbeat} is sent while signed in (default 10 s, as the reference page)
 * @param heartbeatTimeout the connection is dropped (and re-established) when a heartbeat gets no reply this long
 *     (default 10 s)
 * @param reconnect backoff between reconnect attempts (default 200 ms doubling to 10 s, jitter 0.5)
 * @param autoReconnect reconnect and sign in again after an unexpected close (default true); never after
 *     {@code close()} or a {@code kick}
 * @param requestTimeout a request without reply this long fails with {@link ImClientException#TIMEOUT}; zero: no
 *     timeout (the request still fails when the connection drops). Default 30 s
 * @param connectTimeout TCP connect and WebSocket handshake timeout (default 10 s)
 * @param localAddress source address to bind, e.g. 127.0.0.2 (each loopback address has its own ephemeral-port range);
 *     null: the system's choice
 * @param maxFrameBytes the largest frame accepted from the server (default 1 MiB)
 */
public record ImClientOptions(
        URI url,
        long appId,
        long userId,
        long deviceId,
        String token,
        Duration heartbeatInterval,
        Duration heartbeatTimeout,
        Backoff reconnect,
        boolean autoReconnect,
        Duration requestTimeout,
        Duration connectTimeout,
        InetAddress localAddress,
        int maxFrameBytes) {

    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;

    public ImClientOptions {
        Objects.requireNonNull(url, "url");
        var scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws")) {
            throw new IllegalArgumentException("url: " + url + " (expected: ws://host:port/ws; wss is not supported yet)");
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("url: " + url + " (expected: a host)");
        }
        if (deviceId <= 0) {
            throw new IllegalArgumentException("deviceId: " + deviceId + " (expected: > 0)");
        }
        Objects.requireNonNull(token, "token");
        requirePositive("heartbeatInterval", heartbeatInterval);
        requirePositive("heartbeatTimeout", heartbeatTimeout);
        requirePositive("connectTimeout", connectTimeout);
        Objects.requireNonNull(reconnect, "reconnect");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isNegative()) {
            throw new IllegalArgumentException("requestTimeout: " + requestTimeout + " (expected: >= 0)");
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes: " + maxFrameBytes + " (expected: >= 1024)");
        }
    }

    private static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
        }
    }

    /** The port of {@link #url()}, 80 when it names none. */
    public int port() {
        return url.getPort() > 0 ? url.getPort() : 80;
    }

    public static Builder builder(String url) {
        return new Builder().url(URI.create(url));
    }

    public Builder toBuilder() {
        return new Builder().url(url).identity(appId, userId, deviceId, token).heartbeatInterval(heartbeatInterval)
                .heartbeatTimeout(heartbeatTimeout).reconnect(reconnect).autoReconnect(autoReconnect)
                .requestTimeout(requestTimeout).connectTimeout(connectTimeout).localAddress(localAddress)
                .maxFrameBytes(maxFrameBytes);
    }

    /** Builder with the documented defaults; {@link #build()} validates. */
    public static final class Builder {
        private URI url;
        private long appId;
        private long userId;
        private long deviceId = 1;
        private String token;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT;
        private Duration heartbeatTimeout = DEFAULT_HEARTBEAT;
        private Backoff reconnect = Backoff.DEFAULT;
        private boolean autoReconnect = true;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private InetAddress localAddress;
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;

        private Builder() {
        }

        public Builder url(URI v) { url = v; return this; }
        public Builder appId(long v) { appId = v; return this; }
        public Builder userId(long v) { userId = v; return this; }
        public Builder deviceId(long v) { deviceId = v; return this; }
        public Builder token(String v) { token = v; return this; }

        /** App, user, device and token at once. */
        public Builder identity(long app, long user, long device, String tok) {
            appId = app;
            userId = user;
            deviceId = device;
            token = tok;
            return this;
        }

        public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }
        public Builder heartbeatTimeout(Duration v) { heartbeatTimeout = v; return this; }
        public Builder reconnect(Backoff v) { reconnect = v; return this; }
        public Builder autoReconnect(boolean v) { autoReconnect = v; return this; }
        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder localAddress(InetAddress v) { localAddress = v; return this; }
        public Builder maxFrameBytes(int v) { maxFrameBytes = v; return this; }

        public ImClientOptions build() {
            return new ImClientOptions(url, appId, userId, deviceId, token, heartbeatInterval, heartbeatTimeout,
                    reconnect, autoReconnect, requestTimeout, connectTimeout, localAddress, maxFrameBytes);
        }
    }
}

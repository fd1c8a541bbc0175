package io.imserver.bench;

import io.imserver.client.ClientResources;
import io.imserver.client.ConnectionState;
import io.imserver.client.ImClient;
import io.imserver.client.ImClientException;
import io.imserver.client.ImClientOptions;
import io.imserver.client.MessageListener;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Many signed-in {@link ImClient}s: connected {@code parallel} at a time, spread round-robin over the target's
 * WebSocket URLs and the client source addresses. Clients do not reconnect (a drop is an error of the run, counted in
 * {@link #disconnects()}).
 */
final class Fleet implements AutoCloseable {
    final List<ImClient> clients;
    final long startNanos;
    final long endNanos;
    final int failed;
    final Map<String, Long> errors;
    final LatencySummary signLatency;
    final long[] signInsPerSecond;
    private final LongAdder disconnects;
    private final ConcurrentHashMap<String, LongAdder> dropped;
    private java.util.concurrent.atomic.AtomicReference<java.util.function.Consumer<String>> dropHook;
    private java.util.concurrent.atomic.AtomicIntegerArray droppedFlags;

    private Fleet(List<ImClient> clients, long startNanos, long endNanos, int failed, Map<String, Long> errors,
                  LatencySummary signLatency, long[] perSecond, LongAdder disconnects,
                  ConcurrentHashMap<String, LongAdder> dropped) {
        this.dropped = dropped;
        this.clients = clients;
        this.startNanos = startNanos;
        this.endNanos = endNanos;
        this.failed = failed;
        this.errors = errors;
        this.signLatency = signLatency;
        this.signInsPerSecond = perSecond;
        this.disconnects = disconnects;
    }

    /** A client's identity and where it connects. */
    record Member(long appId, long userId, String token) {
    }

    /** Live counts while connecting, for progress reports. */
    static final class Live {
        final LongAdder signed = new LongAdder();
        final LongAdder failed = new LongAdder();
    }

    static Fleet connect(ClientResources resources, List<String> urls, List<InetAddress> sources, List<Member> members,
                         int parallel, IntFunction<MessageListener> listeners, Progress progress, String label) {
        return connect(resources, urls, sources, members, parallel, listeners, progress, label, new Live());
    }

    static Fleet connect(ClientResources resources, List<String> urls, List<InetAddress> sources, List<Member> members,
                         int parallel, IntFunction<MessageListener> listeners, Progress progress, String label,
                         Live live) {
        var clients = new ArrayList<ImClient>(members.size());
        var disconnects = new LongAdder();
        var dropped = new ConcurrentHashMap<String, LongAdder>();
        var droppedFlags = new java.util.concurrent.atomic.AtomicIntegerArray(members.size());
        var dropHook = new java.util.concurrent.atomic.AtomicReference<java.util.function.Consumer<String>>();
        var errors = new ConcurrentHashMap<String, LongAdder>();
        var latency = new LatencyRecorder();
        var signed = live.signed;
        var failedCount = live.failed;
        long start = System.nanoTime();
        var timeline = new Timeline(start, 3600);
        progress.ticker(() -> label + ": signed in " + signed.sum() + "/" + members.size() + ", failed "
                + failedCount.sum() + ", " + rate(signed.sum(), System.nanoTime() - start) + " sign-ins/s");
        var permits = new Semaphore(parallel);
        var all = new ArrayList<CompletableFuture<Void>>(members.size());
        for (int i = 0; i < members.size(); i++) {
            var m = members.get(i);
            var options = ImClientOptions.builder(urls.get(i % urls.size()))
                    .identity(m.appId(), m.userId(), 1, m.token())
                    .localAddress(sources.isEmpty() ? null : sources.get(i % sources.size()))
                    .autoReconnect(false)
                    .requestTimeout(Duration.ZERO)
                    .connectTimeout(Duration.ofSeconds(30))
                    .build();
            var client = ImClient.create(options, resources);
            var listener = listeners == null ? null : listeners.apply(i);
            if (listener != null) {
                client.onMessage(listener);
            }
            int index = i;
            client.onStateChange((c, state, cause) -> {
                if (state == ConnectionState.CLOSED && cause != null) {
                    droppedFlags.set(index, 1);
                    disconnects.increment();
                    var kind = errorKey(cause);
                    dropped.computeIfAbsent(kind, k -> new LongAdder()).increment();
                    var hook = dropHook.get();
                    if (hook != null) {
                        hook.accept("dropped: " + kind);
                    }
                }
            });
            clients.add(client);
            permits.acquireUninterruptibly();
            long t0 = System.nanoTime();
            all.add(client.connect().whenComplete((v, e) -> {
                permits.release();
                long now = System.nanoTime();
                if (e == null) {
                    signed.increment();
                    latency.recordNanos(now - t0);
                    timeline.tick(now);
                } else {
                    failedCount.increment();
                    errors.computeIfAbsent(errorKey(e), k -> new LongAdder()).increment();
                }
            }));
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            // failures are counted per client
        }
        long end = System.nanoTime();
        progress.stopTicker();
        var errorMap = new TreeMap<String, Long>();
        errors.forEach((k, v) -> errorMap.put(k, v.sum()));
        var fleet = new Fleet(clients, start, end, (int) failedCount.sum(), errorMap, latency.summary(),
                timeline.perSecond(end + 999_999_999L), disconnects, dropped);
        fleet.dropHook = dropHook;
        fleet.droppedFlags = droppedFlags;
        return fleet;
    }

    static String rate(long n, long nanos) {
        return nanos <= 0 ? "0" : String.format("%.0f", n * 1e9 / nanos);
    }

    static String errorKey(Throwable e) {
        var t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ImClientException ice) {
            var detail = ice.isServerError() || ice.code() == ImClientException.TIMEOUT
                    || ice.code() == ImClientException.TRANSPORT ? " " + shorten(ice.getMessage()) : "";
            return ice.type() + " " + ice.code() + detail;
        }
        return t.getClass().getSimpleName();
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) : s;
    }

    int signedIn() {
        return clients.size() - failed;
    }

    long disconnects() {
        return disconnects.sum();
    }

    /** True when client {@code i} lost its connection after signing in. */
    boolean dropped(int i) {
        return droppedFlags.get(i) != 0;
    }

    /** Tells {@code hook} (e.g. the running phase's error count) about every connection dropped from now on. */
    void onDrop(java.util.function.Consumer<String> hook) {
        dropHook.set(hook);
    }

    /** Why connections dropped after sign-in, by kind (empty when none did). */
    Map<String, Long> dropReasons() {
        var out = new TreeMap<String, Long>();
        dropped.forEach((k, v) -> out.put("dropped: " + k, v.sum()));
        return out;
    }

    double seconds() {
        return (endNanos - startNanos) / 1e9;
    }

    @Override
    public void close() {
        var closing = clients.stream().map(ImClient::closeAsync).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(closing).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort
        }
    }
}

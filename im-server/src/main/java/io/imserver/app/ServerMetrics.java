package io.imserver.app;

import io.imserver.cluster.Presence;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prometheus metrics: JVM memory, GC, threads and CPU, the process's resident memory, signed-in connections
 * ({@code im_connections}), and where the store's writes spend their time, as histograms
 * ({@code im_store_write_seconds} and its parts, {@code im_store_commit_seconds}, {@code im_store_commit_call_seconds},
 * {@code im_store_batch}).
 */
final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    ServerMetrics(Presence presence) {
        // meters registered globally (the store's group commit) are scraped here too
        Metrics.addRegistry(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        Gauge.builder("im.connections", presence, Presence::connectionCount)
                .description("signed-in WebSocket connections on this node")
                .register(registry);
        Gauge.builder("process.resident.memory", ServerMetrics::residentBytes)
                .description("resident set size of this process (VmRSS)")
                .baseUnit("bytes")
                .register(registry);
    }

    String scrape() {
        return registry.scrape();
    }

    /** VmRSS from /proc/self/status, in bytes; NaN where there is no /proc. */
    static double residentBytes() {
        try {
            for (var line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    var kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    @Override
    public void close() {
        Metrics.removeRegistry(registry);
        gc.close();
        registry.close();
    }
}

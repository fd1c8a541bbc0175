package io.imserver.bench;

import java.util.Map;

/**
 * The connections scenario.
 *
 * @param requested connections asked for
 * @param signedIn connections signed in
 * @param failed connections that did not sign in
 * @param processes client processes used
 * @param seconds from the first connect to the last sign-in
 * @param signInsPerSec signed-in connections per second over that time
 * @param signLatency connect-to-sign-reply latency of one connection (with {@code parallel} in flight per process)
 * @param serverCpuPctSigningIn server CPU while the connections signed in (5% to 95% of them), % of one core
 * @param before the server before the connections
 * @param after the server with all connections open, after the hold
 * @param heapAfterGcBytes server heap used right after a full GC with all connections open (NaN: not measured)
 * @param rssPerConnBytes RSS with the connections minus RSS before, per connection
 * @param heapPerConnBytes heap after GC with the connections minus before, per connection (NaN: not measured)
 * @param holdSeconds idle time measured
 * @param idleCpuPctOfCore server CPU while idle (heartbeats only), percent of one core
 * @param idleCpuPctOfMachine the same, percent of all cores
 * @param heartbeatSeconds client heartbeat interval
 * @param disconnects connections dropped during the hold
 * @param errors sign-in errors by kind
 * @param perSecond sign-ins per second while connecting
 */
public record ConnectionsResult(int requested, int signedIn, int failed, int processes, double seconds,
                                double signInsPerSec, LatencySummary signLatency, double serverCpuPctSigningIn,
                                ServerSample before,
                                ServerSample after, double heapAfterGcBytes, double rssPerConnBytes,
                                double heapPerConnBytes, double holdSeconds, double idleCpuPctOfCore,
                                double idleCpuPctOfMachine, int heartbeatSeconds, long disconnects,
                                Map<String, Long> errors, long[] perSecond) {
}

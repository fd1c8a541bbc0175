package io.imserver.bench;

import java.util.Map;

/**
 * One measured phase of a message scenario (baseline/direct closed or open loop, a group size).
 *
 * @param scenario baseline, direct or group
 * @param phase closed, open, or size-N
 * @param connections signed-in clients
 * @param senders clients sending
 * @param window sends in flight per sender (closed loop), or the cap of the open loop
 * @param targetRate open loop: msgs/s asked for; 0 for closed loop
 * @param seconds measured seconds (after warm-up)
 * @param sent messages sent in the whole phase (warm-up and drain included)
 * @param acked acknowledged
 * @param failed refused or unanswered
 * @param skipped open loop: sends not made because the sender had too many in flight
 * @param deliveries pushes received
 * @param deliveriesPerSec pushes per second in the measured window
 * @param ackedPerSec acknowledged messages per second in the measured window
 * @param ack send to acknowledgement latency
 * @param push send to push latency (every delivery)
 * @param fanout group: send to the push of the last member
 * @param errors errors by kind
 * @param serverCpuPct server CPU in the measured window, percent of one core (NaN: unknown or in-process)
 * @param benchCpuPct this process's CPU (clients, and the relay for baseline), percent of one core
 * @param perSecond pushes per second over the whole phase (warm-up first)
 * @param verification exactly-once delivery and storage checks
 * @param ratio ratios to the baseline of the same run (null for the baseline itself)
 * @param store where the server's store spent the measured window (its first node's; null: no such histograms, e.g.
 *     the relay)
 */
public record PhaseResult(String scenario, String phase, int connections, int senders, int window, int targetRate,
                          double seconds, long sent, long acked, long failed, long skipped, long deliveries,
                          double deliveriesPerSec, double ackedPerSec, LatencySummary ack, LatencySummary push,
                          LatencySummary fanout, Map<String, Long> errors, double serverCpuPct, double benchCpuPct,
                          long[] perSecond, Verification verification, Ratio ratio, StoreTimes.Breakdown store) {

    /**
     * @param delivery exactly-once delivery verdict
     * @param stored storage verdict (read back with sync), or null when not checked (the relay stores nothing)
     * @param storedScope what was read back
     * @param ok no loss, duplicate or extra in delivery or storage
     */
    public record Verification(DeliveryVerifier.Report delivery, DeliveryVerifier.StoredReport stored,
                               String storedScope, boolean ok) {
    }

    /**
     * @param throughput deliveries/s divided by the baseline's (same loop)
     * @param pushP99 p99 send-to-push latency divided by the baseline's (same loop)
     * @param versus the baseline phase compared with
     */
    public record Ratio(double throughput, Double pushP99, String versus) {
    }

    public PhaseResult withRatio(Ratio r) {
        return new PhaseResult(scenario, phase, connections, senders, window, targetRate, seconds, sent, acked, failed,
                skipped, deliveries, deliveriesPerSec, ackedPerSec, ack, push, fanout, errors, serverCpuPct,
                benchCpuPct, perSecond, verification, r, store);
    }

    public String label() {
        return scenario + " " + phase;
    }
}

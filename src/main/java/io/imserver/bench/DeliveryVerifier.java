package io.imserver.bench;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Checks exactly-once delivery: every message is registered before it is sent, with the number of recipients that
 * must get it; its ack (or error) and every delivery are recorded as they happen, from any thread. {@link #verify()}
 * then reports messages acknowledged but not delivered to every recipient (lost), deliveries of the same message to
 * the same recipient more than once (duplicates), and deliveries of messages never sent or to recipients that should
 * not get them (extras).
 *
 * <p>{@link #compareStored} does the same for what the server stored (read back with {@code sync}).
 */
public final class DeliveryVerifier {
    private static final int SENT = 0;
    private static final int ACKED = 1;
    private static final int FAILED = 2;
    private static final int SAMPLE_LIMIT = 10;

    private static final class Entry {
        final int recipients;
        int status = SENT;
        int distinct;
        int duplicates;
        long ackedAt;
        boolean timed;
        /** Recipients that got it (only when there are several). */
        BitSet got;

        Entry(int recipients) {
            this.recipients = recipients;
        }
    }

    /**
     * The verdict on delivery.
     *
     * @param sent messages registered
     * @param acked messages the server acknowledged (code 200)
     * @param failed messages the server refused or that got no reply (connection lost)
     * @param unanswered messages neither acknowledged nor failed when verified
     * @param deliveries pushes received for known messages (duplicates included)
     * @param duplicates pushes of a message to a recipient that already had it
     * @param lostMessages acknowledged messages that did not reach every recipient
     * @param lostDeliveries missing (message, recipient) pairs of acknowledged messages
     * @param extras pushes of unknown messages or to recipients that should not get them
     * @param deliveredUnacked messages delivered whose ack did not come (failed or unanswered): not an error
     *     by itself (the reply may be lost after the commit), reported for information
     * @param ackedLate messages acknowledged after the cutoff of {@link #verify(long)} and not yet delivered to all:
     *     still on their way when the run ended, not counted as lost
     * @param missedOffline pushes missing to recipients whose connection dropped during the run (the message is
     *     stored; a client that stays connected, or reconnects and syncs, gets it): not counted as lost
     * @param samples a few offending keys (stream:seq) with what was wrong, for the report
     */
    public record Report(long sent, long acked, long failed, long unanswered, long deliveries, long duplicates,
                         long lostMessages, long lostDeliveries, long extras, long deliveredUnacked,
                         long ackedLate, long missedOffline, List<String> samples) {
        /** True when nothing was lost, duplicated or delivered extra. */
        public boolean ok() {
            return duplicates == 0 && lostDeliveries == 0 && extras == 0;
        }
    }

    /**
     * The verdict on what was stored.
     *
     * @param expected acknowledged messages that should be stored
     * @param found of those, how many were found
     * @param missing acknowledged but not stored
     * @param duplicates stored more than once (each surplus copy counts)
     * @param unexpected stored although never acknowledged (refused, or its reply was lost): reported, not an error
     * @param unreadable conversations that could not be read back (their client had dropped): not checked
     */
    public record StoredReport(long expected, long found, long missing, long duplicates, long unexpected,
                               long unreadable, List<String> samples) {
        public boolean ok() {
            return missing == 0 && duplicates == 0;
        }

        /** Sums two reports (e.g. over several conversations). */
        public StoredReport plus(StoredReport o) {
            var s = new ArrayList<>(samples);
            o.samples.stream().limit(Math.max(0, SAMPLE_LIMIT - s.size())).forEach(s::add);
            return new StoredReport(expected + o.expected, found + o.found, missing + o.missing,
                    duplicates + o.duplicates, unexpected + o.unexpected, unreadable + o.unreadable, s);
        }

        public static final StoredReport NONE = new StoredReport(0, 0, 0, 0, 0, 0, List.of());

        /** One conversation that could not be read back. */
        public static final StoredReport UNREADABLE = new StoredReport(0, 0, 0, 0, 0, 1, List.of());
    }

    /**
     * Keyed by {@link #mix}ed message keys: a raw key (stream in the high half, seq in the low half) hashes as
     * {@code stream ^ seq} in {@link Long#hashCode()}, so thousands of keys would share few bins.
     */
    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();
    private static final long MIX = 0x9E3779B97F4A7C15L;
    private static final long UNMIX = inverse(MIX);

    /** A bijection of the 64-bit keys that spreads them over the hash bins; {@link #unmix} undoes it. */
    static long mix(long key) {
        return key * MIX;
    }

    static long unmix(long mixed) {
        return mixed * UNMIX;
    }

    /** The multiplicative inverse of an odd number modulo 2^64 (Newton's iteration). */
    private static long inverse(long odd) {
        long x = odd;
        for (int i = 0; i < 5; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder extras = new LongAdder();
    private final List<String> extraSamples = new ArrayList<>();

    /** Registers a message before it is sent; {@code recipients} is how many (distinct) recipients must get it. */
    public void sent(long key, int recipients) {
        if (recipients < 0) {
            throw new IllegalArgumentException("recipients: " + recipients + " (expected: >= 0)");
        }
        if (entries.putIfAbsent(mix(key), new Entry(recipients)) != null) {
            throw new IllegalStateException("message " + describe(key) + " registered twice");
        }
    }

    public void acked(long key) {
        status(key, ACKED);
    }

    /** Records the ack with its time ({@link System#nanoTime()}), for {@link #verify(long)}. */
    public void acked(long key, long nanos) {
        var e = entry(key);
        synchronized (e) {
            e.status = ACKED;
            e.ackedAt = nanos;
            e.timed = true;
        }
    }

    public void failed(long key) {
        status(key, FAILED);
    }

    private void status(long key, int status) {
        var e = entry(key);
        synchronized (e) {
            e.status = status;
        }
    }

    private Entry entry(long key) {
        var e = entries.get(mix(key));
        if (e == null) {
            throw new IllegalStateException("message " + describe(key) + " was never registered");
        }
        return e;
    }

    /**
     * Records that {@code recipient} (0 to recipients-1) got message {@code key}.
     *
     * @return the number of distinct recipients that now have it (equal to the recipient count when this delivery
     *     completed the fan-out), 0 for a duplicate, -1 for an extra (unknown message or recipient out of range)
     */
    public int delivered(long key, int recipient) {
        var e = entries.get(mix(key));
        if (e == null || recipient < 0 || recipient >= e.recipients) {
            extras.increment();
            synchronized (extraSamples) {
                if (extraSamples.size() < SAMPLE_LIMIT) {
                    extraSamples.add("extra " + describe(key) + " to recipient " + recipient
                            + (e == null ? " (never sent)" : " (has " + e.recipients + " recipients)"));
                }
            }
            return -1;
        }
        deliveries.increment();
        synchronized (e) {
            boolean first;
            if (e.recipients == 1) {
                first = e.distinct == 0;
            } else {
                if (e.got == null) {
                    e.got = new BitSet(e.recipients);
                }
                first = !e.got.get(recipient);
                e.got.set(recipient);
            }
            if (!first) {
                e.duplicates++;
                duplicates.increment();
                return 0;
            }
            return ++e.distinct;
        }
    }

    /** True when {@code key} was registered with {@link #sent}. */
    public boolean contains(long key) {
        return entries.containsKey(mix(key));
    }

    /** Registered messages. */
    public int size() {
        return entries.size();
    }

    /** Deliveries recorded so far (duplicates included, extras not). */
    public long deliveries() {
        return deliveries.sum();
    }

    /** Keys of acknowledged messages of one stream (sender or group), for the storage check. */
    public List<Long> ackedKeys(int stream) {
        var out = new ArrayList<Long>();
        entries.forEach((mixed, e) -> {
            long key = unmix(mixed);
            if (Payload.stream(key) == stream) {
                synchronized (e) {
                    if (e.status == ACKED) {
                        out.add(key);
                    }
                }
            }
        });
        return out;
    }

    /** Keys of acknowledged messages grouped by stream, for the storage check. */
    public Map<Integer, List<Long>> ackedKeysByStream() {
        var out = new HashMap<Integer, List<Long>>();
        entries.forEach((mixed, e) -> {
            long key = unmix(mixed);
            synchronized (e) {
                if (e.status == ACKED) {
                    out.computeIfAbsent(Payload.stream(key), k -> new ArrayList<>()).add(key);
                }
            }
        });
        return out;
    }

    public Report verify() {
        return verify(Long.MAX_VALUE);
    }

    /**
     * The verdict, where an acknowledged message counts as lost only if it was acknowledged before
     * {@code cutoffNanos} (a {@link System#nanoTime()} value; messages acked by {@link #acked(long)} count as
     * acknowledged before any cutoff): for a run that ended with messages still in flight.
     */
    public Report verify(long cutoffNanos) {
        return verify(cutoffNanos, (key, recipient) -> false);
    }

    /** Whether a recipient could not be reached (its connection dropped), so a missing push is no loss. */
    @FunctionalInterface
    public interface Offline {
        boolean test(long key, int recipient);
    }

    /**
     * The verdict as {@link #verify(long)}, where a push missing to a recipient for which {@code offline} holds
     * (its connection dropped during the run; the message is still stored for it to sync) counts as
     * {@link Report#missedOffline()}, not as lost.
     */
    public Report verify(long cutoffNanos, Offline offline) {
        long sent = 0;
        long acked = 0;
        long failed = 0;
        long unanswered = 0;
        long lostMessages = 0;
        long lostDeliveries = 0;
        long deliveredUnacked = 0;
        long ackedLate = 0;
        long missedOffline = 0;
        var samples = new ArrayList<String>();
        for (var en : entries.entrySet()) {
            var e = en.getValue();
            long key = unmix(en.getKey());
            synchronized (e) {
                sent++;
                switch (e.status) {
                    case ACKED -> acked++;
                    case FAILED -> failed++;
                    default -> unanswered++;
                }
                if (e.status == ACKED && e.distinct < e.recipients && e.timed && cutoffNanos != Long.MAX_VALUE
                        && e.ackedAt - cutoffNanos >= 0) {
                    ackedLate++;
                } else if (e.status == ACKED && e.distinct < e.recipients) {
                    int lost = 0;
                    for (int r = 0; r < e.recipients; r++) {
                        boolean got = e.recipients == 1 ? e.distinct == 1 : e.got != null && e.got.get(r);
                        if (got) {
                            continue;
                        }
                        if (offline.test(key, r)) {
                            missedOffline++;
                        } else {
                            lost++;
                        }
                    }
                    if (lost > 0) {
                        lostMessages++;
                        lostDeliveries += lost;
                        if (samples.size() < SAMPLE_LIMIT) {
                            samples.add("lost " + describe(key) + ": reached " + e.distinct + " of " + e.recipients);
                        }
                    }
                }
                if (e.status != ACKED && e.distinct > 0) {
                    deliveredUnacked++;
                }
                if (e.duplicates > 0 && samples.size() < SAMPLE_LIMIT) {
                    samples.add("duplicate " + describe(key) + ": " + e.duplicates + " extra copies");
                }
            }
        }
        synchronized (extraSamples) {
            extraSamples.stream().limit(Math.max(0, SAMPLE_LIMIT - samples.size())).forEach(samples::add);
        }
        return new Report(sent, acked, failed, unanswered, deliveries.sum(), duplicates.sum(), lostMessages,
                lostDeliveries, extras.sum(), deliveredUnacked, ackedLate, missedOffline, samples);
    }

    /**
     * Compares what should be stored ({@code expected}: acknowledged keys) with what a read-back found
     * ({@code stored}: keys, in any order, once per stored row: a key twice means two rows with that payload).
     */
    public static StoredReport compareStored(Collection<Long> expected, Collection<Long> stored) {
        var counts = new HashMap<Long, Integer>();
        for (var k : stored) {
            counts.merge(k, 1, Integer::sum);
        }
        var want = new HashSet<>(expected);
        long found = 0;
        long missing = 0;
        long dup = 0;
        long unexpected = 0;
        var samples = new ArrayList<String>();
        for (var k : want) {
            int c = counts.getOrDefault(k, 0);
            if (c == 0) {
                missing++;
                if (samples.size() < SAMPLE_LIMIT) {
                    samples.add("not stored " + describe(k));
                }
            } else {
                found++;
            }
        }
        for (Map.Entry<Long, Integer> e : counts.entrySet()) {
            if (e.getValue() > 1) {
                dup += e.getValue() - 1;
                if (samples.size() < SAMPLE_LIMIT) {
                    samples.add("stored " + e.getValue() + " times " + describe(e.getKey()));
                }
            }
            if (!want.contains(e.getKey())) {
                unexpected++;
            }
        }
        return new StoredReport(want.size(), found, missing, dup, unexpected, 0, samples);
    }

    static String describe(long key) {
        return Payload.stream(key) + ":" + Payload.seq(key);
    }
}

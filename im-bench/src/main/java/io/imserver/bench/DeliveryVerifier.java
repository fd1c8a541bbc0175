package io.imserver.bench;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Checks exactly-once delivery: every message is registered before it is sent, with the number of recipients that
 * must get it; its ack (or error) and every delivery are recorded as they happen, from any thread. {@link #verify()}
 * then reports messages acknowledged but not delivered to every recipient (lost), deliveries of the same message to
 * the same recipient more than once (duplicates), and deliveries of messages never sent or to recipients that should
 * not get them (extras).
 *
 * <p>{@link #compareStored} does the same for what the server stored (read back with {@code sync}).
 *
 * @implNote A message is identified by its stream (sender or group) and its seq in that stream, numbered from 0.
 * The state of a message is one {@code int} (status, distinct recipients, duplicates) in per-stream arrays of 4,096,
 * plus the ack time in a parallel {@code long} array: 12 bytes per message and no object per message, so that
 * keeping a million messages costs the tool's own garbage collector next to nothing (an object per message made
 * young collections copy them all, with pauses of 100 ms that showed up as latency). All messages of a stream have
 * the same number of recipients.
 */
public final class DeliveryVerifier {
    private static final int SAMPLE_LIMIT = 10;
    private static final int CHUNK_BITS = 12;
    private static final int CHUNK = 1 << CHUNK_BITS;
    // state: bits 0-1 status, bit 2 ack time known, bits 3-18 distinct recipients, bits 19-31 duplicates (saturating)
    private static final int SENT = 1;
    private static final int ACKED = 2;
    private static final int FAILED = 3;
    private static final int STATUS = 3;
    private static final int TIMED = 4;
    private static final int DISTINCT_SHIFT = 3;
    private static final int DISTINCT_MAX = 0xFFFF;
    private static final int DUP_SHIFT = 19;
    private static final int DUP_MAX = 0x1FFF;

    private static int status(int state) {
        return state & STATUS;
    }

    private static int distinct(int state) {
        return (state >>> DISTINCT_SHIFT) & DISTINCT_MAX;
    }

    private static int dups(int state) {
        return (state >>> DUP_SHIFT) & DUP_MAX;
    }

    /** The messages of one stream: their states by seq, in chunks allocated as the seqs grow. */
    private static final class Stream {
        final int recipients;
        final AtomicInteger maxSeq = new AtomicInteger(-1);
        /** Recipients that got each message, by seq (only when there are several). */
        final ConcurrentHashMap<Integer, BitSet> got;
        private volatile AtomicIntegerArray[] states = new AtomicIntegerArray[0];
        private volatile AtomicLongArray[] ackTimes = new AtomicLongArray[0];

        Stream(int recipients) {
            this.recipients = recipients;
            this.got = recipients > 1 ? new ConcurrentHashMap<>() : null;
        }

        AtomicIntegerArray states(int seq) {
            var s = states;
            int c = seq >>> CHUNK_BITS;
            return c < s.length ? s[c] : null;
        }

        AtomicLongArray ackTimes(int seq) {
            var t = ackTimes;
            int c = seq >>> CHUNK_BITS;
            return c < t.length ? t[c] : null;
        }

        /** The chunk of {@code seq}, allocated (copy-on-write of the chunk table) when it is the first of it. */
        synchronized AtomicIntegerArray create(int seq) {
            int c = seq >>> CHUNK_BITS;
            if (c >= states.length) {
                var s = java.util.Arrays.copyOf(states, c + 1);
                var t = java.util.Arrays.copyOf(ackTimes, c + 1);
                for (int i = states.length; i <= c; i++) {
                    s[i] = new AtomicIntegerArray(CHUNK);
                    t[i] = new AtomicLongArray(CHUNK);
                }
                ackTimes = t;
                states = s;
            }
            return states[c];
        }

        int state(int seq) {
            var chunk = states(seq);
            return chunk == null ? 0 : chunk.get(seq & (CHUNK - 1));
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

    private final ConcurrentHashMap<Integer, Stream> streams = new ConcurrentHashMap<>();
    private final LongAdder registered = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder extras = new LongAdder();
    private final List<String> extraSamples = new ArrayList<>();

    /**
     * Registers a message before it is sent; {@code recipients} is how many (distinct) recipients must get it, the
     * same for every message of its stream.
     */
    public void sent(long key, int recipients) {
        if (recipients < 0 || recipients > DISTINCT_MAX) {
            throw new IllegalArgumentException("recipients: " + recipients + " (expected: 0-" + DISTINCT_MAX + ")");
        }
        int seq = Payload.seq(key);
        if (seq < 0) {
            throw new IllegalArgumentException("seq: " + seq + " (expected: >= 0)");
        }
        var stream = streams.computeIfAbsent(Payload.stream(key), id -> new Stream(recipients));
        if (stream.recipients != recipients) {
            throw new IllegalArgumentException("stream " + Payload.stream(key) + " has " + stream.recipients
                    + " recipients per message, not " + recipients);
        }
        var chunk = stream.states(seq);
        if (chunk == null) {
            chunk = stream.create(seq);
        }
        if (!chunk.compareAndSet(seq & (CHUNK - 1), 0, SENT)) {
            throw new IllegalStateException("message " + describe(key) + " registered twice");
        }
        stream.maxSeq.accumulateAndGet(seq, Math::max);
        registered.increment();
    }

    public void acked(long key) {
        setStatus(key, ACKED, false, 0);
    }

    /** Records the ack with its time ({@link System#nanoTime()}), for {@link #verify(long)}. */
    public void acked(long key, long nanos) {
        setStatus(key, ACKED, true, nanos);
    }

    public void failed(long key) {
        setStatus(key, FAILED, false, 0);
    }

    private void setStatus(long key, int status, boolean timed, long nanos) {
        var stream = streams.get(Payload.stream(key));
        int seq = Payload.seq(key);
        var chunk = stream == null || seq < 0 ? null : stream.states(seq);
        int i = seq & (CHUNK - 1);
        if (chunk == null || chunk.get(i) == 0) {
            throw new IllegalStateException("message " + describe(key) + " was never registered");
        }
        if (timed) {
            stream.ackTimes(seq).set(i, nanos);
        }
        int old;
        int next;
        do {
            old = chunk.get(i);
            next = (old & ~(STATUS | TIMED)) | status | (timed ? TIMED : 0);
        } while (!chunk.compareAndSet(i, old, next));
    }

    /**
     * Records that {@code recipient} (0 to recipients-1) got message {@code key}.
     *
     * @return the number of distinct recipients that now have it (equal to the recipient count when this delivery
     *     completed the fan-out), 0 for a duplicate, -1 for an extra (unknown message or recipient out of range)
     */
    public int delivered(long key, int recipient) {
        var stream = streams.get(Payload.stream(key));
        int seq = Payload.seq(key);
        var chunk = stream == null || seq < 0 ? null : stream.states(seq);
        int i = seq & (CHUNK - 1);
        if (chunk == null || chunk.get(i) == 0 || recipient < 0 || recipient >= stream.recipients) {
            extras.increment();
            synchronized (extraSamples) {
                if (extraSamples.size() < SAMPLE_LIMIT) {
                    extraSamples.add("extra " + describe(key) + " to recipient " + recipient
                            + (chunk == null || chunk.get(i) == 0 ? " (never sent)"
                            : " (has " + stream.recipients + " recipients)"));
                }
            }
            return -1;
        }
        deliveries.increment();
        if (stream.recipients == 1) {
            return countSingle(chunk, i);
        }
        var bits = stream.got.computeIfAbsent(seq, q -> new BitSet(stream.recipients));
        synchronized (bits) {
            boolean first = !bits.get(recipient);
            bits.set(recipient);
            return countMulti(chunk, i, first);
        }
    }

    private int countSingle(AtomicIntegerArray chunk, int i) {
        while (true) {
            int old = chunk.get(i);
            if (distinct(old) == 0) {
                if (chunk.compareAndSet(i, old, old + (1 << DISTINCT_SHIFT))) {
                    return 1;
                }
            } else if (chunk.compareAndSet(i, old, dups(old) == DUP_MAX ? old : old + (1 << DUP_SHIFT))) {
                duplicates.increment();
                return 0;
            }
        }
    }

    private int countMulti(AtomicIntegerArray chunk, int i, boolean first) {
        while (true) {
            int old = chunk.get(i);
            int next = first ? old + (1 << DISTINCT_SHIFT) : dups(old) == DUP_MAX ? old : old + (1 << DUP_SHIFT);
            if (chunk.compareAndSet(i, old, next)) {
                if (!first) {
                    duplicates.increment();
                    return 0;
                }
                return distinct(next);
            }
        }
    }

    /** True when {@code key} was registered with {@link #sent}. */
    public boolean contains(long key) {
        var stream = streams.get(Payload.stream(key));
        int seq = Payload.seq(key);
        return stream != null && seq >= 0 && stream.state(seq) != 0;
    }

    /** Registered messages. */
    public long size() {
        return registered.sum();
    }

    /** Deliveries recorded so far (duplicates included, extras not). */
    public long deliveries() {
        return deliveries.sum();
    }

    /** Keys of acknowledged messages of one stream (sender or group), for the storage check. */
    public List<Long> ackedKeys(int stream) {
        var out = new ArrayList<Long>();
        var st = streams.get(stream);
        if (st != null) {
            for (int seq = 0; seq <= st.maxSeq.get(); seq++) {
                if (status(st.state(seq)) == ACKED) {
                    out.add(Payload.key(stream, seq));
                }
            }
        }
        return out;
    }

    /** Keys of acknowledged messages grouped by stream, for the storage check. */
    public Map<Integer, List<Long>> ackedKeysByStream() {
        var out = new HashMap<Integer, List<Long>>();
        for (int stream : streams.keySet()) {
            out.put(stream, ackedKeys(stream));
        }
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
        for (var en : streams.entrySet()) {
            int streamId = en.getKey();
            var st = en.getValue();
            for (int seq = 0; seq <= st.maxSeq.get(); seq++) {
                int state = st.state(seq);
                if (state == 0) {
                    continue;
                }
                long key = Payload.key(streamId, seq);
                int status = status(state);
                int distinct = distinct(state);
                sent++;
                switch (status) {
                    case ACKED -> acked++;
                    case FAILED -> failed++;
                    default -> unanswered++;
                }
                if (status == ACKED && distinct < st.recipients) {
                    boolean late = (state & TIMED) != 0 && cutoffNanos != Long.MAX_VALUE
                            && st.ackTimes(seq).get(seq & (CHUNK - 1)) - cutoffNanos >= 0;
                    if (late) {
                        ackedLate++;
                    } else {
                        var bits = st.got == null ? null : st.got.get(seq);
                        int lost = 0;
                        for (int r = 0; r < st.recipients; r++) {
                            boolean got;
                            if (st.recipients == 1) {
                                got = distinct == 1;
                            } else if (bits == null) {
                                got = false;
                            } else {
                                synchronized (bits) {
                                    got = bits.get(r);
                                }
                            }
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
                                samples.add("lost " + describe(key) + ": reached " + distinct + " of "
                                        + st.recipients);
                            }
                        }
                    }
                }
                if (status != ACKED && distinct > 0) {
                    deliveredUnacked++;
                }
                if (dups(state) > 0 && samples.size() < SAMPLE_LIMIT) {
                    samples.add("duplicate " + describe(key) + ": " + dups(state) + " extra copies");
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

package io.imserver.bench;

import io.imserver.client.ImClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageItem;
import pb.MessageType;
import pb.SendMessage;
import pb.SyncReq;
import pb.Text;

/**
 * 1:1 messages between pairs of users (both users of a pair send to each other), against the server ({@code direct})
 * or the relay ({@code baseline}), with the same clients and load: a closed loop ({@code --window} sends in flight per
 * sender, each ack triggers the next send) and an open loop ({@code --rate} msgs/s spread round-robin over the
 * senders, latency measured from the intended send time so a stalled server cannot hide its stall).
 */
final class DirectScenario {
    private static final int SYNC_PAGE = 100;

    private final BenchContext ctx;
    private final String scenario;
    private final Target target;
    private final int n;
    private final long[] userIds;
    private final AtomicIntegerArray seqs;
    /** The receiving user's conversation with its peer, from pushes. */
    private final AtomicLongArray receiverConversation;
    /** The sending user's own conversation with its peer, from acks. */
    private final AtomicLongArray senderConversation;
    private List<ImClient> clients;
    private volatile PhaseRun current;

    DirectScenario(BenchContext ctx, String scenario, Target target) {
        this.ctx = ctx;
        this.scenario = scenario;
        this.target = target;
        this.n = 2 * ctx.options.pairs;
        this.userIds = new long[n];
        long base = scenario.equals("baseline") ? 1_000_000 : 2_000_000;
        for (int i = 0; i < n; i++) {
            userIds[i] = base + i;
        }
        this.seqs = new AtomicIntegerArray(n);
        this.receiverConversation = new AtomicLongArray(n);
        this.senderConversation = new AtomicLongArray(n);
    }

    static int peer(int i) {
        return i ^ 1;
    }

    List<PhaseResult> run() {
        var o = ctx.options;
        var ids = new ArrayList<Long>();
        for (long id : userIds) {
            ids.add(id);
        }
        List<String> tokens = target.admin() == null ? Collections.nCopies(n, "relay-accepts-any-token")
                : target.admin().usersWithTokens(o.appId, ids, o.adminParallel, ctx.progress);
        var members = new ArrayList<Fleet.Member>();
        for (int i = 0; i < n; i++) {
            members.add(new Fleet.Member(o.appId, userIds[i], tokens.get(i)));
        }
        ctx.progress.status(scenario + ": connecting " + n + " clients (" + o.pairs + " pairs) to " + target.describe());
        var results = new ArrayList<PhaseResult>();
        try (var fleet = Fleet.connect(ctx.resources, target.wsUrls(), o.sourceAddresses, members, o.connectParallel,
                i -> (c, item) -> pushed(i, item), ctx.progress, scenario + " connect")) {
            if (fleet.failed > 0) {
                throw new IllegalStateException(fleet.failed + " of " + n + " clients did not sign in: " + fleet.errors);
            }
            clients = fleet.clients;
            ctx.measuredPartBegins();
            if (o.closedLoop) {
                results.add(phase(true, 0, fleet));
            }
            if (o.openLoop) {
                for (int rate : o.openRates()) {
                    results.add(phase(false, rate, fleet));
                }
            }
        }
        return results;
    }

    /**
     * The name of an open-loop phase: {@code open}, or {@code open-<rate>} in a sweep ({@code --rates}), so that a
     * direct phase and the baseline phase of the same rate share a name (ratios and the sweep table pair them by it).
     */
    static String openPhaseName(BenchOptions o, int rate) {
        return o.rates.isEmpty() ? "open" : "open-" + rate;
    }

    /** One closed-loop phase ({@code rate} unused) or one open-loop phase at {@code rate} msgs/s. */
    private PhaseResult phase(boolean closed, int rate, Fleet fleet) {
        var o = ctx.options;
        var ph = new PhaseRun(scenario, closed ? "closed" : openPhaseName(o, rate), closed, n);
        current = ph;
        fleet.onDrop(ph::error);
        ctx.progress.status(scenario + " " + ph.name + ": " + (closed ? o.window + " in flight per sender, " + n
                + " senders" : rate + " msgs/s over " + n + " senders") + ", " + o.warmupSeconds + " s warm-up + "
                + o.durationSeconds + " s");
        var pacer = new Thread[1];
        Runnable start = closed
                ? () -> {
                    for (int s = 0; s < n; s++) {
                        int sender = s;
                        clients.get(s).executor().execute(() -> {
                            for (int w = 0; w < o.window; w++) {
                                send(ph, sender, System.nanoTime());
                            }
                        });
                    }
                }
                : () -> pacer[0] = Thread.ofPlatform().name("bench-pacer").start(() -> pace(ph, rate));
        Runnable stop = () -> {
            if (pacer[0] != null) {
                try {
                    pacer[0].join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ph.measure(ctx, target, start, stop,
                () -> ph.sent.sum() == ph.acked.sum() + ph.failed.sum() && ph.delivered.sum() >= ph.acked.sum());
        var delivery = ph.verifier.verify(ph.cutoffNanos, (key, r) -> fleet.dropped(peer(Payload.stream(key))));
        DeliveryVerifier.StoredReport stored = null;
        String scope = "not checked: the relay stores nothing";
        if (target.isServer()) {
            int pairs = Math.min(o.pairs, Math.max(0, o.verifySample));
            scope = pairs == o.pairs ? "all " + pairs + " pairs, both users' conversations"
                    : pairs + " of " + o.pairs + " pairs (evenly spread), both users' conversations";
            ctx.progress.status(scenario + " " + ph.name + ": reading back " + scope + " with sync");
            stored = checkStored(ph, pairs, fleet);
        }
        boolean ok = delivery.ok() && (stored == null || stored.ok());
        ctx.progress.status(scenario + " " + ph.name + ": verification " + (ok ? "OK" : "FAILED") + ": " + delivery
                + (stored == null ? "" : ", stored " + stored));
        current = null;
        return ph.result(fleet.signedIn(), n, closed ? o.window : openCap(), closed ? 0 : rate,
                new PhaseResult.Verification(delivery, stored, scope, ok));
    }

    private int openCap() {
        return Math.max(64, ctx.options.window * 16);
    }

    /** Open loop: issues sends at the rate, round-robin; a sender with too many in flight skips its turn. */
    private void pace(PhaseRun ph, int rate) {
        var o = ctx.options;
        double perNanos = rate / 1e9;
        long start = System.nanoTime();
        long end = start + (long) ((ph.warmupSeconds + o.durationSeconds) * 1e9);
        int cap = openCap();
        long issued = 0;
        int s = 0;
        while (ph.running) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            long due = (long) ((now - start) * perNanos);
            while (issued < due) {
                long intended = start + (long) (issued / perNanos);
                if (ph.inflight.get(s) < cap) {
                    send(ph, s, intended);
                } else {
                    ph.skipped.increment();
                }
                issued++;
                s = s + 1 == n ? 0 : s + 1;
            }
            LockSupport.parkNanos(100_000);
        }
    }

    private void send(PhaseRun ph, int s, long intendedNanos) {
        if (!ph.running) {
            return;
        }
        int seq = seqs.getAndIncrement(s);
        long key = Payload.key(s, seq);
        ph.verifier.sent(key, 1);
        ph.sent.increment();
        ph.inflight.incrementAndGet(s);
        var text = Payload.encode(ctx.runId, s, seq, intendedNanos, ctx.options.payloadBytes);
        var message = SendMessage.newBuilder()
                .setSenderType(2).setSenderId(userIds[s]).setSenderDeviceId(1)
                .setReceiverType(1).setReceiverId(userIds[peer(s)])
                .setMessageBody(MessageBody.newBuilder().setMessageType(MessageType.MT_TEXT)
                        .setMessageContent(MessageContent.newBuilder().setText(Text.newBuilder().setText(text))))
                .setClientMsgId(ctx.options.clientMsgIds ? Payload.clientMsgId(ctx.runId, s, seq) : "")
                .build();
        var client = clients.get(s);
        client.sendMessage(message).whenComplete((item, error) -> {
            long now = System.nanoTime();
            ph.inflight.decrementAndGet(s);
            if (error == null) {
                ph.verifier.acked(key, now);
                ph.acked.increment();
                if (ph.measuring) {
                    ph.ack.recordNanos(now - intendedNanos);
                }
                if (item.getConversationId() != 0) {
                    senderConversation.compareAndSet(s, 0, item.getConversationId());
                }
            } else {
                ph.verifier.failed(key);
                ph.failed.increment();
                ph.error(error);
            }
            if (ph.closedLoop && ph.running) {
                if (error == null) {
                    send(ph, s, System.nanoTime());
                } else {
                    client.executor().schedule(() -> send(ph, s, System.nanoTime()), 20, TimeUnit.MILLISECONDS);
                }
            }
        });
    }

    /** A push to client {@code r}: must be from its peer, exactly once per message. */
    private void pushed(int r, MessageItem item) {
        var ph = current;
        if (ph == null) {
            return;
        }
        long now = System.nanoTime();
        var p = Payload.ofRun(item, ctx.runId);
        if (p == null) {
            ph.error("push of a foreign message");
            return;
        }
        int result = ph.verifier.delivered(p.key(), p.stream() == peer(r) ? 0 : -1);
        if (result < 0) {
            return;
        }
        ph.delivered.increment();
        ph.timeline.tick(now);
        if (ph.measuring) {
            ph.push.recordNanos(now - p.sendNanos());
        }
        if (item.getConversationId() != 0) {
            receiverConversation.compareAndSet(r, 0, item.getConversationId());
        }
    }

    /**
     * Reads back both users' conversations of {@code pairs} pairs and checks that every message of this phase that
     * was acknowledged is stored exactly once in each of the two conversations (write diffusion: a sender copy and a
     * receiver copy).
     */
    private DeliveryVerifier.StoredReport checkStored(PhaseRun ph, int pairs, Fleet fleet) {
        var report = DeliveryVerifier.StoredReport.NONE;
        var acked = ph.verifier.ackedKeysByStream();
        for (int k = 0; k < pairs; k++) {
            int p = (int) ((long) k * ctx.options.pairs / Math.max(1, pairs));
            int a = 2 * p;
            int b = a + 1;
            for (int user : new int[] {a, b}) {
                long conv = receiverConversation.get(user) != 0 ? receiverConversation.get(user)
                        : senderConversation.get(user);
                List<Long> stored;
                try {
                    if (fleet.dropped(user)) {
                        report = report.plus(DeliveryVerifier.StoredReport.UNREADABLE);
                        continue;
                    }
                    stored = conv == 0 ? List.<Long>of() : syncAll(user, conv, 1);
                } catch (RuntimeException e) {
                    ph.error("read-back: " + Fleet.errorKey(e));
                    report = report.plus(DeliveryVerifier.StoredReport.UNREADABLE);
                    continue;
                }
                for (int stream : new int[] {a, b}) {
                    var keys = stored.stream().filter(key -> Payload.stream(key) == stream && ph.verifier.contains(key))
                            .toList();
                    report = report.plus(DeliveryVerifier.compareStored(acked.getOrDefault(stream, List.of()), keys));
                }
            }
        }
        return report;
    }

    /** Every message of this run in one conversation of client {@code i}, as payload keys, via paged sync. */
    List<Long> syncAll(int i, long conversationId, int receiverType) {
        return syncAll(clients.get(i), conversationId, receiverType, ctx.runId);
    }

    static List<Long> syncAll(ImClient client, long conversationId, int receiverType, long runId) {
        // by message id: offset paging over a conversation that still grows can return a row twice; two rows
        // (two ids) with the same payload are a real duplicate
        var keys = new java.util.LinkedHashMap<Long, Long>();
        for (int offset = 0; ; offset += SYNC_PAGE) {
            var page = client.sync(SyncReq.newBuilder().setConversationId(conversationId).setReceiverType(receiverType)
                    .setLimit(SYNC_PAGE).setOffset(offset).build()).join();
            for (var m : page.getMessagesList()) {
                var p = Payload.ofRun(m, runId);
                if (p != null) {
                    keys.put(m.getId(), p.key());
                }
            }
            if (page.getMessagesCount() < SYNC_PAGE) {
                return new ArrayList<>(keys.values());
            }
        }
    }
}

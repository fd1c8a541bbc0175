package io.imserver.bench;

import io.imserver.client.ImClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageItem;
import pb.MessageType;
import pb.SendMessage;
import pb.Text;

/**
 * Group messages: for each size in {@code --group-sizes}, {@code --group-members / size} groups of that size (made
 * through the admin API from one pool of online users), each with its owner sending in a closed loop
 * ({@code --group-window} in flight). Measures deliveries/s, send-to-push latency of every delivery, and fan-out
 * latency: send to the push of the last member; verifies every member got every acknowledged message exactly once,
 * and reads a few groups back with sync.
 */
final class GroupScenario {
    private static final int CHECKED_GROUPS_PER_SIZE = 3;

    /** One group: global index (payload stream), size, members are pool clients memberBase..memberBase+size-1. */
    record GroupInfo(int index, int size, int memberBase, long groupId) {
    }

    private final BenchContext ctx;
    private final Target target;
    private final List<GroupInfo> groups = new ArrayList<>();
    private final AtomicIntegerArray seqs;
    /** The conversation of the member at position 1 of each group, from its pushes. */
    private final AtomicLongArray checkConversation;
    private List<ImClient> clients;
    private long[] userIds;
    private volatile PhaseRun current;

    GroupScenario(BenchContext ctx, Target target) {
        this.ctx = ctx;
        this.target = target;
        int total = 0;
        for (int size : ctx.options.groupSizes) {
            total += groupsOf(size);
        }
        this.seqs = new AtomicIntegerArray(total);
        this.checkConversation = new AtomicLongArray(total);
    }

    private int groupsOf(int size) {
        return Math.max(1, ctx.options.groupMembers / size);
    }

    List<PhaseResult> run() {
        var o = ctx.options;
        int pool = 0;
        for (int size : o.groupSizes) {
            pool = Math.max(pool, size * groupsOf(size));
        }
        userIds = new long[pool];
        var ids = new ArrayList<Long>();
        for (int i = 0; i < pool; i++) {
            userIds[i] = 3_000_000 + i;
            ids.add(userIds[i]);
        }
        var admin = target.admin();
        var tokens = admin.usersWithTokens(o.appId, ids, o.adminParallel, ctx.progress);
        ctx.progress.status("group: creating groups " + o.groupSizes + " through the admin API");
        for (int size : o.groupSizes) {
            for (int j = 0; j < groupsOf(size); j++) {
                int base = j * size;
                var members = ids.subList(base, base + size);
                long gid = admin.createGroup(o.appId, "bench-" + ctx.runId + "-" + size + "-" + j, userIds[base],
                        members);
                groups.add(new GroupInfo(groups.size(), size, base, gid));
            }
        }
        var members = new ArrayList<Fleet.Member>();
        for (int i = 0; i < pool; i++) {
            members.add(new Fleet.Member(o.appId, userIds[i], tokens.get(i)));
        }
        ctx.progress.status("group: connecting " + pool + " members");
        var results = new ArrayList<PhaseResult>();
        try (var fleet = Fleet.connect(ctx.resources, target.wsUrls(), o.sourceAddresses, members, o.connectParallel,
                i -> (c, item) -> pushed(i, item), ctx.progress, "group connect")) {
            if (fleet.failed > 0) {
                throw new IllegalStateException(fleet.failed + " of " + pool + " members did not sign in: "
                        + fleet.errors);
            }
            clients = fleet.clients;
            ctx.measuredPartBegins();
            for (int size : o.groupSizes) {
                results.add(phase(size, fleet));
            }
        }
        return results;
    }

    private PhaseResult phase(int size, Fleet fleet) {
        var o = ctx.options;
        var mine = groups.stream().filter(g -> g.size() == size).toList();
        var ph = new PhaseRun("group", "size-" + size, true, groups.size());
        current = ph;
        fleet.onDrop(ph::error);
        ctx.progress.status("group size-" + size + ": " + mine.size() + " groups of " + size + ", owner sends with "
                + o.groupWindow + " in flight, " + o.warmupSeconds + " s warm-up + " + o.durationSeconds + " s");
        Runnable start = () -> {
            for (var g : mine) {
                clients.get(g.memberBase()).executor().execute(() -> {
                    for (int w = 0; w < o.groupWindow; w++) {
                        send(ph, g);
                    }
                });
            }
        };
        ph.measure(ctx, target, start, () -> { },
                () -> ph.sent.sum() == ph.acked.sum() + ph.failed.sum()
                        && ph.delivered.sum() >= ph.acked.sum() * (size - 1));
        var delivery = ph.verifier.verify(ph.cutoffNanos,
                (key, r) -> fleet.dropped(groups.get(Payload.stream(key)).memberBase() + 1 + r));
        var checked = mine.stream().limit(CHECKED_GROUPS_PER_SIZE).toList();
        var scope = checked.size() + " of " + mine.size() + " groups, read by one member each";
        ctx.progress.status("group size-" + size + ": reading back " + scope + " with sync");
        var stored = DeliveryVerifier.StoredReport.NONE;
        var acked = ph.verifier.ackedKeysByStream();
        for (var g : checked) {
            long conv = checkConversation.get(g.index());
            List<Long> keys;
            if (fleet.dropped(g.memberBase() + 1)) {
                stored = stored.plus(DeliveryVerifier.StoredReport.UNREADABLE);
                continue;
            }
            try {
                keys = conv == 0 ? List.<Long>of()
                        : DirectScenario.syncAll(clients.get(g.memberBase() + 1), conv, 2, ctx.runId).stream()
                        .filter(k -> Payload.stream(k) == g.index() && ph.verifier.contains(k)).toList();
            } catch (RuntimeException e) {
                ph.error("read-back: " + Fleet.errorKey(e));
                stored = stored.plus(DeliveryVerifier.StoredReport.UNREADABLE);
                continue;
            }
            stored = stored.plus(DeliveryVerifier.compareStored(acked.getOrDefault(g.index(), List.of()), keys));
        }
        boolean ok = delivery.ok() && stored.ok();
        ctx.progress.status("group size-" + size + ": verification " + (ok ? "OK" : "FAILED") + ": " + delivery
                + ", stored " + stored);
        current = null;
        return ph.result(fleet.signedIn(), mine.size(), o.groupWindow, 0,
                new PhaseResult.Verification(delivery, stored, scope, ok));
    }

    private void send(PhaseRun ph, GroupInfo g) {
        if (!ph.running) {
            return;
        }
        int seq = seqs.getAndIncrement(g.index());
        long key = Payload.key(g.index(), seq);
        ph.verifier.sent(key, g.size() - 1);
        ph.sent.increment();
        long sendNanos = System.nanoTime();
        var text = Payload.encode(ctx.runId, g.index(), seq, sendNanos, ctx.options.payloadBytes);
        var message = SendMessage.newBuilder()
                .setSenderType(2).setSenderId(userIds[g.memberBase()]).setSenderDeviceId(1)
                .setReceiverType(2).setReceiverId(g.groupId())
                .setMessageBody(MessageBody.newBuilder().setMessageType(MessageType.MT_TEXT)
                        .setMessageContent(MessageContent.newBuilder().setText(Text.newBuilder().setText(text))))
                .setClientMsgId(ctx.options.clientMsgIds ? Payload.clientMsgId(ctx.runId, g.index(), seq) : "")
                .build();
        var client = clients.get(g.memberBase());
        client.sendMessage(message).whenComplete((item, error) -> {
            long now = System.nanoTime();
            if (error == null) {
                ph.verifier.acked(key, now);
                ph.acked.increment();
                if (ph.measuring) {
                    ph.ack.recordNanos(now - sendNanos);
                }
            } else {
                ph.verifier.failed(key);
                ph.failed.increment();
                ph.error(error);
            }
            if (ph.running) {
                if (error == null) {
                    send(ph, g);
                } else {
                    client.executor().schedule(() -> send(ph, g), 20, TimeUnit.MILLISECONDS);
                }
            }
        });
    }

    /** A push to pool client {@code i}: a member at position p >= 1 of the group is recipient p - 1. */
    private void pushed(int i, MessageItem item) {
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
        if (p.stream() < 0 || p.stream() >= groups.size()) {
            ph.verifier.delivered(p.key(), -1);
            return;
        }
        var g = groups.get(p.stream());
        int recipient = i - g.memberBase() - 1;
        int reached = ph.verifier.delivered(p.key(), recipient < g.size() - 1 ? recipient : -1);
        if (reached < 0) {
            return;
        }
        ph.delivered.increment();
        ph.timeline.tick(now);
        if (ph.measuring) {
            ph.push.recordNanos(now - p.sendNanos());
            if (reached == g.size() - 1) {
                ph.fanout.recordNanos(now - p.sendNanos());
            }
        }
        if (recipient == 0 && item.getConversationId() != 0) {
            checkConversation.compareAndSet(g.index(), 0, item.getConversationId());
        }
    }
}

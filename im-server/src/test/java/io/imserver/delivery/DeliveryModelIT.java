package io.imserver.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.TestServer;
import io.imserver.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import pb.ConversationItem;
import pb.ConversationReq;
import pb.ConversationResp;
import pb.DeleteMessageReq;
import pb.MessageBody;
import pb.MessageContent;
import pb.MessageItem;
import pb.MessageRead;
import pb.MessageType;
import pb.Output;
import pb.RecallReq;
import pb.SendMessage;
import pb.SyncReq;
import pb.SyncResp;
import pb.Text;

/**
 * Model-based test: random interleavings of send, retried send, sync (offset, after seq, before seq), messageread,
 * recall, delete-for-me, block and unblock, connect and disconnect, for 3 users with 2 devices each, in 1:1 and group
 * conversations.
 * After every step each online device's pushes, conversation list and the step's replies are checked against a
 * plain in-memory model: no gaps, no duplicates, per-conversation order, exact unread counts and mentions.
 *
 * <p>Replay a failure with {@code -Dmodel.seed=<seed printed>}; {@code -Dmodel.steps} sets the length.
 */
class DeliveryModelIT {
    static final long APP = 1;
    static final int USERS = 3;
    static final int DEVICES = 2;
    static final long OWNER = 1;
    static final String RECALLED = "[消息已撤回]";

    /** One stored message as the model sees it. For 1:1 there is one per copy; for a group one in all. */
    static final class Msg {
        final long seq;
        final long senderId;
        final String text;
        final String clientMsgId;
        long id; // the server's id of this copy, once learned (0 = unknown)
        int status; // 0 normal, 1 recalled, 2 deleted (1:1 copy)
        Msg pair; // 1:1: the other participant's copy
        final Set<Long> hiddenFor = new HashSet<>(); // group: delete for me
        final Set<Long> mentions = new HashSet<>();

        Msg(long seq, long senderId, String text, String clientMsgId) {
            this.seq = seq;
            this.senderId = senderId;
            this.text = text;
            this.clientMsgId = clientMsgId;
        }
    }

    /** A user's conversation: its stream (1:1: own copies; group: shared list) and read positions. */
    static final class Conv {
        final int peerType;
        final long peerId;
        final List<Msg> stream;
        long id;
        long readSeq;
        long peerReadSeq;

        Conv(int peerType, long peerId, List<Msg> stream) {
            this.peerType = peerType;
            this.peerId = peerId;
            this.stream = stream;
        }

        long lastSeq() {
            return stream.size();
        }
    }

    record Sent(long userId, int peerType, long peerId, String clientMsgId, String text, Msg senderCopy) {
    }

    /** A device: its connection while online, and the highest seq it holds per conversation id. */
    static final class Device {
        final long userId;
        final long deviceId;
        WsClient client;
        final Map<Long, Long> localSeq = new HashMap<>();

        Device(long userId, long deviceId) {
            this.userId = userId;
            this.deviceId = deviceId;
        }
    }

    final Map<Long, Map<String, Conv>> convs = new HashMap<>(); // user -> "type:peer" -> conv
    final List<Msg> groupStream = new ArrayList<>();
    final List<Sent> sent = new ArrayList<>();
    final List<Device> devices = new ArrayList<>();
    /** "blocker:blocked": the blocked user's 1:1 sends to the blocker are refused (460) and store nothing. */
    final Set<String> blocks = new HashSet<>();
    long groupId;
    Random random;
    TestServer server;
    int counter;

    @Test
    void randomInterleavings_matchTheModel_onEveryOnlineDevice() {
        long seed = Long.getLong("model.seed", System.nanoTime());
        int steps = Integer.getInteger("model.steps", 2500);
        System.out.println("DeliveryModelIT seed=" + seed + " steps=" + steps + " (replay: -Dmodel.seed=" + seed + ")");
        random = new Random(seed);
        server = TestServer.start(b -> b.recallWindow(Duration.ofHours(1)));
        try {
            setUp();
            for (int step = 0; step < steps; step++) {
                try {
                    step();
                    checkLists();
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("model test failed at step " + step + " with seed " + seed
                            + " (replay: -Dmodel.seed=" + seed + "): " + e.getMessage(), e);
                }
            }
            for (var d : devices) {
                if (d.client != null) {
                    for (var type : List.of("message", "recalled", "readsync", "receipt")) {
                        d.client.assertNoOutput(type, Duration.ofMillis(50));
                    }
                }
            }
        } finally {
            devices.forEach(d -> {
                if (d.client != null) {
                    d.client.close();
                }
            });
            server.close();
        }
    }

    private void setUp() {
        var admin = server.admin();
        admin.putApp(APP, "model");
        for (long u = 1; u <= USERS; u++) {
            admin.putUser(APP, u, "user" + u);
            convs.put(u, new HashMap<>());
            for (long d = 1; d <= DEVICES; d++) {
                devices.add(new Device(u, d));
            }
        }
        groupId = admin.createGroup(APP, "model group", OWNER, List.of(2L, 3L));
        for (long u = 1; u <= USERS; u++) {
            convs.get(u).put("2:" + groupId, new Conv(2, groupId, groupStream));
        }
        for (var d : devices) {
            connect(d);
        }
    }

    private void step() {
        int r = random.nextInt(100);
        var online = devices.stream().filter(d -> d.client != null).toList();
        if (online.isEmpty() || r < 6) {
            toggle(devices.get(random.nextInt(devices.size())));
            return;
        }
        var d = online.get(random.nextInt(online.size()));
        if (r < 40) {
            send(d, newTarget(d.userId), "m" + (++counter), "c" + counter);
        } else if (r < 48) {
            retry(d);
        } else if (r < 56) {
            syncOffset(d);
        } else if (r < 66) {
            syncBySeq(d);
        } else if (r < 80) {
            read(d);
        } else if (r < 90) {
            recall(d);
        } else if (r < 97) {
            deleteForMe(d);
        } else {
            toggleBlock(d);
        }
    }

    // ---- steps ----

    /** Blocks or unblocks another user: only that user's 1:1 sends to this one change (groups do not). */
    private void toggleBlock(Device d) {
        long other;
        do {
            other = 1 + random.nextInt(USERS);
        } while (other == d.userId);
        var key = d.userId + ":" + other;
        boolean blocking = !blocks.contains(key);
        ok(d.client.request(blocking ? "block" : "unblock", pb.BlockReq.newBuilder().setUserId(other).build()));
        if (blocking) {
            blocks.add(key);
        } else {
            blocks.remove(key);
        }
    }

    private long[] newTarget(long userId) {
        if (random.nextInt(3) == 0) {
            return new long[] {2, groupId};
        }
        long peer;
        do {
            peer = 1 + random.nextInt(USERS);
        } while (peer == userId);
        return new long[] {1, peer};
    }

    private SendMessage request(long[] target, String text, String clientMsgId, List<Long> mentions) {
        return SendMessage.newBuilder().setSenderType(2).setReceiverType((int) target[0]).setReceiverId(target[1])
                .addAllToUserIds(mentions).setClientMsgId(clientMsgId)
                .setMessageBody(MessageBody.newBuilder().setMessageType(MessageType.MT_TEXT)
                        .setMessageContent(MessageContent.newBuilder().setText(Text.newBuilder().setText(text))))
                .build();
    }

    private void send(Device d, long[] target, String text, String clientMsgId) {
        long from = d.userId;
        List<Long> mentions = target[0] == 2 && random.nextBoolean() ? List.of(1L + random.nextInt(USERS)) : List.of();
        var reply = d.client.request("sendmessage", request(target, text, clientMsgId, mentions));
        if (target[0] == 1 && blocks.contains(target[1] + ":" + from)) {
            // refused before storing: no record, no seq, no push (the lists and the final quiet check see to that)
            assertThat(reply.getCode()).as("sendmessage to a user who blocked the sender").isEqualTo(460);
            return;
        }
        assertThat(reply.getCode()).as("sendmessage reply").isEqualTo(200);
        var item = WsClient.parse(reply, MessageItem.parser());
        Msg senderCopy;
        if (target[0] == 1) {
            long peer = target[1];
            var mine = conv(from, 1, peer);
            var theirs = conv(peer, 1, from);
            senderCopy = new Msg(mine.lastSeq() + 1, from, text, clientMsgId);
            var peerCopy = new Msg(theirs.lastSeq() + 1, from, text, clientMsgId);
            senderCopy.pair = peerCopy;
            peerCopy.pair = senderCopy;
            mine.stream.add(senderCopy);
            theirs.stream.add(peerCopy);
            mine.readSeq = senderCopy.seq;
            learnConv(mine, item.getConversationId());
            expectMessage(d, from, mine, senderCopy, item);
            for (var other : devices) {
                if (other.client == null || other == d) {
                    continue;
                }
                if (other.userId == from) {
                    checkMessagePush(other, mine, senderCopy);
                } else if (other.userId == peer) {
                    checkMessagePush(other, theirs, peerCopy);
                }
            }
        } else {
            var mine = conv(from, 2, groupId);
            senderCopy = new Msg(groupStream.size() + 1, from, text, clientMsgId);
            for (long m : mentions) {
                if (m != from) {
                    senderCopy.mentions.add(m);
                }
            }
            groupStream.add(senderCopy);
            mine.readSeq = senderCopy.seq;
            learnConv(mine, item.getConversationId());
            expectMessage(d, from, mine, senderCopy, item);
            for (var other : devices) {
                if (other.client != null && other != d) {
                    checkMessagePush(other, conv(other.userId, 2, groupId), senderCopy);
                }
            }
        }
        sent.add(new Sent(from, (int) target[0], target[1], clientMsgId, text, senderCopy));
    }

    /** A retried send (same client message id, possibly from the other device): the first record, no pushes. */
    private void retry(Device d) {
        var mine = sent.stream().filter(s -> s.userId() == d.userId).toList();
        if (mine.isEmpty()) {
            return;
        }
        var s = mine.get(random.nextInt(mine.size()));
        var reply = d.client.request("sendmessage", request(new long[] {s.peerType(), s.peerId()}, s.text(),
                s.clientMsgId(), List.of()));
        assertThat(reply.getCode()).isEqualTo(200);
        var item = WsClient.parse(reply, MessageItem.parser());
        var copy = s.senderCopy();
        assertThat(item.getId()).as("retry returns the first record").isEqualTo(copy.id);
        assertThat(item.getSeq()).isEqualTo(copy.seq);
        // the stored record itself: a group message hidden by its sender is still its sender's record
        assertThat(item.getStatus()).as("status of the retried record").isEqualTo(copy.status);
    }

    private void syncOffset(Device d) {
        var c = randomConv(d.userId);
        if (c == null) {
            return;
        }
        int limit = 1 + random.nextInt(5);
        int offset = random.nextInt(4);
        var resp = WsClient.parse(ok(d.client.request("sync", SyncReq.newBuilder().setConversationId(c.id)
                .setLimit(limit).setOffset(offset).build())), SyncResp.parser());
        var expected = new ArrayList<Msg>();
        for (int i = c.stream.size() - 1 - offset; i >= 0 && expected.size() < limit; i--) {
            expected.add(c.stream.get(i));
        }
        checkItems(d.userId, c, resp.getMessagesList(), expected);
        if (!expected.isEmpty()) {
            moveRead(d, c, expected.get(0).seq);
        }
    }

    private void syncBySeq(Device d) {
        var c = randomConv(d.userId);
        if (c == null) {
            return;
        }
        int limit = 1 + random.nextInt(6);
        long pivot = random.nextInt((int) c.lastSeq() + 2);
        boolean after = random.nextBoolean();
        var req = SyncReq.newBuilder().setConversationId(c.id).setLimit(limit);
        var expected = new ArrayList<Msg>();
        boolean more;
        if (after) {
            req.setAfterSeq(pivot);
            for (var m : c.stream) {
                if (m.seq > pivot) {
                    expected.add(m);
                }
            }
        } else {
            req.setBeforeSeq(pivot);
            for (int i = c.stream.size() - 1; i >= 0; i--) {
                if (c.stream.get(i).seq < pivot) {
                    expected.add(c.stream.get(i));
                }
            }
        }
        more = expected.size() > limit;
        var page = expected.subList(0, Math.min(limit, expected.size()));
        var resp = WsClient.parse(ok(d.client.request("sync", req.build())), SyncResp.parser());
        checkItems(d.userId, c, resp.getMessagesList(), page);
        assertThat(resp.getHasMore()).as("has_more").isEqualTo(more);
    }

    private void read(Device d) {
        var c = randomConv(d.userId);
        var m = c == null ? null : randomKnownMessage(c);
        if (m == null) {
            return;
        }
        ok(d.client.request("messageread", MessageRead.newBuilder().setMessageId(m.id).build()));
        moveRead(d, c, m.seq);
    }

    /** The model's read move, with the readsync and receipt pushes it must cause. */
    private void moveRead(Device d, Conv c, long seq) {
        if (seq <= c.readSeq) {
            return;
        }
        c.readSeq = seq;
        for (var other : devices) {
            if (other.client != null && other.userId == d.userId && other != d) {
                var rs = WsClient.parse(other.client.awaitType("readsync"), pb.ReadReceipt.parser());
                assertThat(rs.getConversationId()).isEqualTo(c.id);
                assertThat(rs.getReadSeq()).isEqualTo(seq);
                assertThat(rs.getUnread()).isEqualTo(c.lastSeq() - seq);
            }
        }
        if (c.peerType == 1 && c.peerId != d.userId) {
            Msg latestFromPeer = null;
            for (var m : c.stream) {
                if (m.seq <= seq && m.senderId == c.peerId) {
                    latestFromPeer = m;
                }
            }
            var peerConv = conv(c.peerId, 1, d.userId);
            if (latestFromPeer != null && latestFromPeer.pair.seq > peerConv.peerReadSeq) {
                peerConv.peerReadSeq = latestFromPeer.pair.seq;
                for (var other : devices) {
                    if (other.client != null && other.userId == c.peerId) {
                        var receipt = WsClient.parse(other.client.awaitType("receipt"), pb.ReadReceipt.parser());
                        assertThat(receipt.getConversationId()).isEqualTo(peerConv.id);
                        assertThat(receipt.getReadSeq()).isEqualTo(peerConv.peerReadSeq);
                    }
                }
            }
        }
    }

    private void recall(Device d) {
        var c = randomConv(d.userId);
        var m = c == null ? null : randomKnownMessage(c);
        if (m == null) {
            return;
        }
        boolean allowed = m.senderId == d.userId || (c.peerType == 2 && d.userId == OWNER);
        var reply = d.client.request("recall", RecallReq.newBuilder().setMessageId(m.id).build());
        if (!allowed) {
            assertThat(reply.getCode()).as("recall by someone else").isEqualTo(403);
            return;
        }
        assertThat(reply.getCode()).isEqualTo(200);
        // every copy still normal is recalled; a copy its owner deleted stays deleted
        boolean mineChanged = m.status == 0;
        boolean pairChanged = m.pair != null && m.pair != m && m.pair.status == 0;
        if (mineChanged) {
            m.status = 1;
        }
        if (pairChanged) {
            m.pair.status = 1;
        }
        assertThat(WsClient.parse(reply, MessageItem.parser()).getStatus()).as("recall reply status").isEqualTo(m.status);
        for (var other : devices) {
            if (other.client == null || other == d) {
                continue;
            }
            boolean mySide = c.peerType == 2 || other.userId == d.userId;
            boolean pushed = mySide ? mineChanged : other.userId == c.peerId && pairChanged;
            if (pushed) {
                var item = WsClient.parse(other.client.awaitType("recalled"), MessageItem.parser());
                var copy = mySide ? m : m.pair;
                assertThat(item.getSeq()).isEqualTo(copy.seq);
                assertThat(item.getStatus()).isEqualTo(1);
                assertThat(item.hasMessageBody()).isFalse();
            }
        }
    }

    private void deleteForMe(Device d) {
        var c = randomConv(d.userId);
        var m = c == null ? null : randomKnownMessage(c);
        if (m == null) {
            return;
        }
        ok(d.client.request("deletemessage", DeleteMessageReq.newBuilder().setMessageId(m.id).build()));
        if (c.peerType == 1) {
            m.status = 2;
        } else {
            m.hiddenFor.add(d.userId);
        }
    }

    private void toggle(Device d) {
        if (d.client != null) {
            d.client.close();
            d.client = null;
        } else {
            connect(d);
        }
    }

    /** Signs in and catches up like a client: local seq of every conversation from the list. */
    private void connect(Device d) {
        d.client = server.signIn(APP, d.userId, d.deviceId);
        d.localSeq.clear();
        var list = WsClient.parse(ok(d.client.request("getconversationlist",
                ConversationReq.newBuilder().setLimit(100).build())), ConversationResp.parser());
        for (var item : list.getConversationList()) {
            d.localSeq.put(item.getId(), item.getLastSeq());
        }
    }

    // ---- checks ----

    private void expectMessage(Device d, long userId, Conv c, Msg copy, MessageItem item) {
        assertThat(item.getSeq()).as("seq of the sender's record").isEqualTo(copy.seq);
        assertThat(item.getConversationId()).isEqualTo(c.id);
        copy.id = item.getId();
        advanceLocal(d, c.id, copy.seq);
    }

    private void checkMessagePush(Device d, Conv c, Msg copy) {
        var item = WsClient.parse(d.client.awaitType("message"), MessageItem.parser());
        learnConv(c, item.getConversationId());
        assertThat(item.getSeq()).as("pushed seq").isEqualTo(copy.seq);
        assertThat(item.getMessageBody().getMessageContent().getText().getText()).isEqualTo(copy.text);
        if (copy.id == 0) {
            copy.id = item.getId();
        }
        assertThat(item.getId()).as("one id per copy").isEqualTo(copy.id);
        advanceLocal(d, c.id, copy.seq);
    }

    /** Gap-free, duplicate-free and in order: each device sees seq local+1 next. */
    private static void advanceLocal(Device d, long conversationId, long seq) {
        long local = d.localSeq.getOrDefault(conversationId, 0L);
        assertThat(seq).as("device %d/%d conversation %d: next seq after %d", d.userId, d.deviceId,
                conversationId, local).isEqualTo(local + 1);
        d.localSeq.put(conversationId, seq);
    }

    private void checkItems(long userId, Conv c, List<MessageItem> items, List<Msg> expected) {
        assertThat(items).extracting(MessageItem::getSeq).as("seqs of conversation %d", c.id)
                .containsExactlyElementsOf(expected.stream().map(m -> m.seq).toList());
        for (int i = 0; i < items.size(); i++) {
            var item = items.get(i);
            var m = expected.get(i);
            if (m.id == 0) {
                m.id = item.getId();
            }
            assertThat(item.getId()).isEqualTo(m.id);
            int status = statusFor(userId, m);
            assertThat(item.getStatus()).as("status of seq %d", m.seq).isEqualTo(status);
            assertThat(item.getMessageBody().getMessageContent().getText().getText())
                    .isEqualTo(status == 0 ? m.text : "");
        }
    }

    private static int statusFor(long userId, Msg m) {
        if (m.hiddenFor.contains(userId)) {
            return 2;
        }
        return m.status;
    }

    /** Every online device's conversation list agrees with the model: ids, seqs, unread, mentions, previews. */
    private void checkLists() {
        for (var d : devices) {
            if (d.client == null) {
                continue;
            }
            var list = WsClient.parse(ok(d.client.request("getconversationlist",
                    ConversationReq.newBuilder().setLimit(100).build())), ConversationResp.parser());
            var expected = new TreeMap<String, Conv>();
            convs.get(d.userId).forEach((k, c) -> {
                if (c.peerType == 2 || !c.stream.isEmpty()) {
                    expected.put(k, c);
                }
            });
            assertThat(list.getConversationCount()).as("conversations of user %d", d.userId).isEqualTo(expected.size());
            for (ConversationItem item : list.getConversationList()) {
                var c = expected.get(item.getReceiverType() + ":" + item.getReceiverId());
                assertThat(c).as("conversation %s of user %d", item.getReceiverId(), d.userId).isNotNull();
                learnConv(c, item.getId());
                assertThat(item.getLastSeq()).as("last_seq").isEqualTo(c.lastSeq());
                assertThat(item.getReadSeq()).as("read_seq").isEqualTo(c.readSeq);
                assertThat(item.getReceiveNum()).as("unread of user %d in %s", d.userId, item.getReceiverId())
                        .isEqualTo(c.lastSeq() - c.readSeq);
                long mentions = c.peerType == 2 ? c.stream.stream()
                        .filter(m -> m.seq > c.readSeq && m.mentions.contains(d.userId)).count() : 0;
                assertThat(item.getUnreadMentions()).as("unread mentions").isEqualTo(mentions);
                if (c.peerType == 1) {
                    assertThat(item.getPeerReadSeq()).as("peer_read_seq").isEqualTo(c.peerReadSeq);
                }
                var last = c.stream.isEmpty() ? null : c.stream.get(c.stream.size() - 1);
                String preview = last == null ? "" : last.status == 1 ? RECALLED : last.status == 2 ? "" : last.text;
                assertThat(item.getMessagenewcontent()).as("preview").isEqualTo(preview);
            }
        }
    }

    // ---- model helpers ----

    private Conv conv(long owner, int peerType, long peerId) {
        return convs.get(owner).computeIfAbsent(peerType + ":" + peerId,
                k -> new Conv(peerType, peerId, peerType == 2 ? groupStream : new ArrayList<>()));
    }

    /** A message of the conversation whose id the model has learned, or null. */
    private Msg randomKnownMessage(Conv c) {
        var known = c.stream.stream().filter(m -> m.id != 0).toList();
        return known.isEmpty() ? null : known.get(random.nextInt(known.size()));
    }

    private Conv randomConv(long userId) {
        var known = convs.get(userId).values().stream().filter(c -> c.id != 0).toList();
        return known.isEmpty() ? null : known.get(random.nextInt(known.size()));
    }

    private static void learnConv(Conv c, long id) {
        if (c.id == 0) {
            c.id = id;
        }
        assertThat(id).as("conversation id stays").isEqualTo(c.id);
    }

    private static Output ok(Output out) {
        assertThat(out.getCode()).as(out.getType() + ": " + out.getMessage()).isEqualTo(200);
        return out;
    }
}

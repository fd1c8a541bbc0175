package io.imserver.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import pb.ConversationItem;
import pb.MessageItem;

/** limit/offset of {@code getconversationlist} and {@code sync}: order, disjoint pages, default, cap, refusals. */
class PagingIT extends MessagingTestBase {

    @Test
    void sync_returnsNewestFirst_inDisjointPagesThatTogetherHoldEveryMessage() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        var sent = new ArrayList<MessageItem>();
        for (int i = 1; i <= 7; i++) {
            sent.add(sendText(a1, bob, "message " + i));
        }
        long conversation = sent.get(0).getConversationId();

        var page1 = sync(a1, conversation, 3, 0);
        var page2 = sync(a1, conversation, 3, 3);
        var page3 = sync(a1, conversation, 3, 6);
        var page4 = sync(a1, conversation, 3, 7);

        assertThat(seqs(page1)).containsExactly(7L, 6L, 5L);
        assertThat(seqs(page2)).containsExactly(4L, 3L, 2L);
        assertThat(seqs(page3)).containsExactly(1L);
        assertThat(page4).isEmpty();
        var all = new ArrayList<MessageItem>();
        all.addAll(page1);
        all.addAll(page2);
        all.addAll(page3);
        assertThat(all).containsExactlyElementsOf(sent.reversed());
        assertThat(all).extracting(m -> m.getMessageBody().getMessageContent().getText().getText())
                .containsExactly("message 7", "message 6", "message 5", "message 4", "message 3", "message 2",
                        "message 1");
    }

    @Test
    void getconversationlist_pagesAreDisjoint_pinnedFirstThenLatestActivity() {
        long owner = newUser("owner");
        var o1 = signIn(owner, 1);
        var peers = new ArrayList<Long>();
        var conversationOf = new HashMap<Long, Long>();
        var lastActivity = new HashMap<Long, Long>();
        for (int i = 1; i <= 5; i++) {
            long peer = newUser("peer" + i);
            peers.add(peer);
            var sent = sendText(o1, peer, "hello " + i);
            conversationOf.put(sent.getConversationId(), peer);
            lastActivity.put(sent.getConversationId(), sent.getSendTime());
        }
        long second = peers.get(1);
        clockPast(lastActivity.values().stream().mapToLong(Long::longValue).max().orElseThrow());
        var again = sendText(o1, second, "hello again");
        lastActivity.put(again.getConversationId(), again.getSendTime());
        long pinned = conversationWith(o1, USER, peers.get(3)).getId();
        ok(pinRequest(o1, pinned, 2));

        var expected = conversationOf.keySet().stream()
                .sorted(Comparator.<Long>comparingInt(id -> id == pinned ? 1 : 0).reversed()
                        .thenComparing(Comparator.<Long>comparingLong(lastActivity::get).reversed())
                        .thenComparing(Comparator.<Long>reverseOrder()))
                .toList();
        var full = conversations(o1, 0, 0);
        assertThat(conversationIds(full)).containsExactlyElementsOf(expected);
        assertThat(full.get(0).getId()).isEqualTo(pinned);
        assertThat(full.get(0).getTop()).isEqualTo(2);
        assertThat(full.get(1).getReceiverId()).as("the latest activity after the pinned one").isEqualTo(second);
        assertThat(full.get(1).getMessagenewcontent()).isEqualTo("hello again");

        var page1 = conversations(o1, 2, 0);
        var page2 = conversations(o1, 2, 2);
        var page3 = conversations(o1, 2, 4);
        var page4 = conversations(o1, 2, 5);
        assertThat(page1).hasSize(2);
        assertThat(page2).hasSize(2);
        assertThat(page3).hasSize(1);
        assertThat(page4).isEmpty();
        var joined = new ArrayList<ConversationItem>();
        joined.addAll(page1);
        joined.addAll(page2);
        joined.addAll(page3);
        assertThat(conversationIds(joined)).doesNotHaveDuplicates().containsExactlyElementsOf(expected);
    }

    @Test
    void negativeLimitOrOffset_isInvalid() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        long conversation = sendText(a1, bob, "hi").getConversationId();

        assertRefused(listRequest(a1, -1, 0), ErrorCode.INVALID_REQUEST);
        assertRefused(listRequest(a1, 10, -1), ErrorCode.INVALID_REQUEST);
        assertRefused(syncRequest(a1, conversation, -1, 0), ErrorCode.INVALID_REQUEST);
        assertRefused(syncRequest(a1, conversation, 10, -5), ErrorCode.INVALID_REQUEST);
        assertThat(sync(a1, conversation, 10, 0)).hasSize(1);
    }

    @Test
    void sync_limitAbove100_isCappedAt100_andZeroMeansTheDefault15() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        long conversation = 0;
        for (int i = 1; i <= 101; i++) {
            conversation = sendText(a1, bob, "n" + i).getConversationId();
        }

        var capped = sync(a1, conversation, 1000, 0);
        assertThat(seqs(capped)).containsExactlyElementsOf(descending(101, 2));
        assertThat(seqs(sync(a1, conversation, 101, 0))).hasSize(100);
        assertThat(seqs(sync(a1, conversation, 1000, 100))).containsExactly(1L);
        var byDefault = sync(a1, conversation, 0, 0);
        assertThat(seqs(byDefault)).containsExactlyElementsOf(descending(101, 87));
    }

    @Test
    void getconversationlist_limitAbove100_isCappedAt100_andZeroMeansTheDefault15() {
        long owner = newUser("owner");
        var o1 = signIn(owner, 1);
        var opened = new LinkedHashSet<Long>();
        for (int i = 0; i < 101; i++) {
            opened.add(addConversation(o1, USER, newUser("contact" + i)));
        }

        var capped = conversations(o1, 1000, 0);
        var rest = conversations(o1, 1000, 100);
        assertThat(capped).hasSize(100);
        assertThat(rest).hasSize(1);
        var all = new ArrayList<>(conversationIds(capped));
        all.addAll(conversationIds(rest));
        assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(opened);
        assertThat(conversations(o1, 0, 0)).hasSize(15);
        assertThat(conversationIds(conversations(o1, 0, 0))).isEqualTo(all.subList(0, 15));
    }

    /** from, from - 1, ..., to. */
    static List<Long> descending(long from, long to) {
        return LongStream.rangeClosed(to, from).map(s -> from + to - s).boxed().toList();
    }
}

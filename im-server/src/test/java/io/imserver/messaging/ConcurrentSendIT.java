package io.imserver.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.WsClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import pb.MessageItem;
import pb.SendMessage;

/**
 * Many messages in flight at once, on several connections and pipelined on each: every request gets its one reply in
 * order, seqs stay gap-free, pushes arrive in seq order, and unread counts stay exact.
 */
class ConcurrentSendIT extends MessagingTestBase {
    private static final int PER_SENDER = 25;

    private static String textOf(MessageItem m) {
        return m.getMessageBody().getMessageContent().getText().getText();
    }

    /** Pipelines the messages on one connection, then collects the replies (which must come in the same order). */
    private static List<MessageItem> pipeline(WsClient client, List<SendMessage> messages) {
        for (var m : messages) {
            client.send("sendmessage", m);
        }
        var replies = new ArrayList<MessageItem>();
        for (int i = 0; i < messages.size(); i++) {
            replies.add(WsClient.parse(ok(client.awaitType("sendmessage")), MessageItem.parser()));
        }
        assertThat(replies).extracting(MessageItem::getMessageBody)
                .containsExactlyElementsOf(messages.stream().map(SendMessage::getMessageBody).toList());
        return replies;
    }

    /** Runs the tasks at the same time and returns their results in task order. */
    private static <T> List<T> concurrently(List<Callable<T>> tasks) {
        try (var pool = Executors.newFixedThreadPool(tasks.size())) {
            var futures = tasks.stream().map(pool::submit).toList();
            var results = new ArrayList<T>();
            for (var f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static List<Long> oneTo(long n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    @Test
    void concurrentSendersToOneGroup_getGapFreeSeqs_andEveryMemberSeesEveryMessageOnceInSeqOrder() {
        long owner = newUser("owner");
        var senders = new ArrayList<Long>();
        for (int i = 0; i < 4; i++) {
            senders.add(newUser("sender" + i));
        }
        long group = createGroup("busy", owner, senders.toArray(Long[]::new));
        var o1 = signIn(owner, 1);
        var clients = senders.stream().map(id -> signIn(id, 1)).toList();

        var tasks = new ArrayList<Callable<List<MessageItem>>>();
        for (int s = 0; s < clients.size(); s++) {
            var messages = new ArrayList<SendMessage>();
            for (int k = 0; k < PER_SENDER; k++) {
                messages.add(toGroup(group, text("s" + s + "-" + k)));
            }
            var client = clients.get(s);
            tasks.add(() -> pipeline(client, messages));
        }
        var replies = concurrently(tasks);
        int total = PER_SENDER * clients.size();

        var allSeqs = replies.stream().flatMap(List::stream).map(MessageItem::getSeq).sorted().toList();
        assertThat(allSeqs).as("gap-free, unique seqs").isEqualTo(oneTo(total));
        for (var r : replies) {
            assertThat(seqs(r)).as("one connection's messages keep their order").isSorted();
        }

        var ownerPushes = new ArrayList<MessageItem>();
        for (int i = 0; i < total; i++) {
            ownerPushes.add(awaitPush(o1));
        }
        assertThat(seqs(ownerPushes)).as("pushes arrive in seq order").isEqualTo(oneTo(total));
        assertThat(new HashSet<>(ids(ownerPushes))).hasSize(total);
        o1.assertNoOutput(PUSH, QUIET);
        assertThat(unreadWith(o1, GROUP, group)).isEqualTo(total);

        for (int s = 0; s < clients.size(); s++) {
            var client = clients.get(s);
            long self = senders.get(s);
            var pushes = new ArrayList<MessageItem>();
            for (int i = 0; i < total - PER_SENDER; i++) {
                pushes.add(awaitPush(client));
            }
            assertThat(seqs(pushes)).isSorted().doesNotHaveDuplicates();
            assertThat(pushes).as("everyone else's messages, not one's own").noneMatch(m -> m.getSenderId() == self);
            client.assertNoOutput(PUSH, QUIET);
            long lastOwn = replies.get(s).getLast().getSeq();
            assertThat(unreadWith(client, GROUP, group)).as("unread after the sender's own last message")
                    .isEqualTo(total - lastOwn);
        }

        var synced = sync(o1, conversationWith(o1, GROUP, group).getId(), 100, 0);
        assertThat(synced).hasSize(total);
        assertThat(ids(synced)).isEqualTo(ids(ownerPushes).reversed());
        assertThat(unreadWith(o1, GROUP, group)).isZero();
    }

    @Test
    void concurrentSendersToOneUser_fillEachConversationGapFree_andUnreadIsExact() {
        long receiver = newUser("receiver");
        var senders = new ArrayList<Long>();
        for (int i = 0; i < 4; i++) {
            senders.add(newUser("sender" + i));
        }
        var r1 = signIn(receiver, 1);
        var r2 = signIn(receiver, 2);
        var clients = senders.stream().map(id -> signIn(id, 1)).toList();

        var tasks = new ArrayList<Callable<List<MessageItem>>>();
        for (int s = 0; s < clients.size(); s++) {
            var messages = new ArrayList<SendMessage>();
            for (int k = 0; k < PER_SENDER; k++) {
                messages.add(toUser(receiver, text("s" + s + "-" + k)));
            }
            var client = clients.get(s);
            tasks.add(() -> pipeline(client, messages));
        }
        var replies = concurrently(tasks);
        int total = PER_SENDER * clients.size();

        for (var r : replies) {
            assertThat(seqs(r)).isEqualTo(oneTo(PER_SENDER));
        }
        for (var device : List.of(r1, r2)) {
            var pushes = new ArrayList<MessageItem>();
            for (int i = 0; i < total; i++) {
                pushes.add(awaitPush(device));
            }
            for (long sender : senders) {
                var fromSender = pushes.stream().filter(m -> m.getSenderId() == sender).toList();
                assertThat(seqs(fromSender)).as("in seq order per conversation").isEqualTo(oneTo(PER_SENDER));
                assertThat(fromSender.stream().map(MessageItem::getConversationId).distinct()).hasSize(1);
            }
        }
        assertThat(totalUnread(r1)).isEqualTo(total);
        for (long sender : senders) {
            assertThat(unreadWith(r1, USER, sender)).isEqualTo(PER_SENDER);
        }
    }

    @Test
    void twoUsersWritingToEachOtherAtOnce_seeTheSameConversationInTheSameOrder() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var a1 = signIn(alice, 1);
        var b1 = signIn(bob, 1);
        var fromAlice = new ArrayList<SendMessage>();
        var fromBob = new ArrayList<SendMessage>();
        for (int k = 0; k < PER_SENDER; k++) {
            fromAlice.add(toUser(bob, text("a" + k)));
            fromBob.add(toUser(alice, text("b" + k)));
        }

        var replies = concurrently(List.<Callable<List<MessageItem>>>of(() -> pipeline(a1, fromAlice),
                () -> pipeline(b1, fromBob)));

        long alicesConversation = replies.get(0).getFirst().getConversationId();
        long bobsConversation = replies.get(1).getFirst().getConversationId();
        long aliceUnread = unreadWith(a1, USER, bob);
        long bobUnread = unreadWith(b1, USER, alice);
        var aliceSees = sync(a1, alicesConversation, 100, 0);
        var bobSees = sync(b1, bobsConversation, 100, 0);
        assertThat(seqs(aliceSees)).isEqualTo(oneTo(2L * PER_SENDER).reversed());
        assertThat(seqs(bobSees)).isEqualTo(oneTo(2L * PER_SENDER).reversed());
        assertThat(aliceSees).extracting(ConcurrentSendIT::textOf)
                .as("both copies of the conversation hold the messages in the same order")
                .containsExactlyElementsOf(bobSees.stream().map(ConcurrentSendIT::textOf).toList());
        assertThat(aliceUnread).as("bob's messages after alice's last own one")
                .isEqualTo(unreadAfterLastOwn(aliceSees, alice));
        assertThat(bobUnread).as("alice's messages after bob's last own one")
                .isEqualTo(unreadAfterLastOwn(bobSees, bob));
        assertThat(unreadWith(a1, USER, bob)).isZero();
        assertThat(unreadWith(b1, USER, alice)).isZero();
    }

    /** In a newest-first list, how many messages come after the owner's newest own message. */
    private static long unreadAfterLastOwn(List<MessageItem> newestFirst, long owner) {
        long n = 0;
        for (var m : newestFirst) {
            if (m.getSenderId() == owner) {
                return n;
            }
            n++;
        }
        return n;
    }
}

package io.imserver.delivery;

import io.imserver.testing.Chat;
import io.imserver.testing.ChatServerTestBase;
import static io.imserver.testing.Chat.USER;
import static io.imserver.testing.Chat.conversationWith;
import static io.imserver.testing.Chat.newUser;
import static io.imserver.testing.Chat.pushed;
import static io.imserver.testing.Chat.signIn;
import static io.imserver.testing.Chat.syncAfter;
import static io.imserver.testing.Chat.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.WsClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pb.MessageItem;

/**
 * A receiver that was offline while 10,000 messages arrived catches up with {@code sync after_seq} and gets every
 * one exactly once, in seq order; a device that stayed online got the pushes in seq order.
 */
class OfflineCatchUpIT extends ChatServerTestBase {
    static final int SENDER_DEVICES = 4;
    static final int MESSAGES = 10_000;
    static final int PER_DEVICE = MESSAGES / SENDER_DEVICES;

    /** Sends this device's share without waiting, then collects the replies (in request order). */
    private static Callable<List<MessageItem>> sendShare(WsClient device, int deviceNo, long receiverId) {
        return () -> {
            for (int i = 0; i < PER_DEVICE; i++) {
                var msg = text(USER, receiverId, "d" + deviceNo + "-" + i).toBuilder()
                        .setClientMsgId("catch-up-" + deviceNo + "-" + i).build();
                device.send("sendmessage", msg);
            }
            var replies = new ArrayList<MessageItem>(PER_DEVICE);
            for (int i = 0; i < PER_DEVICE; i++) {
                replies.add(Chat.ok(device.awaitType("sendmessage"), MessageItem.parser()));
            }
            return replies;
        };
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void tenThousandMessages_sentWhileTheReceiverWasOffline_areCaughtUpBySeq_noneMissingNoneRepeated()
            throws Exception {
        long s = newUser(server);
        long r = newUser(server);
        var senders = new ArrayList<WsClient>();
        ExecutorService pool = Executors.newFixedThreadPool(SENDER_DEVICES);
        try (var onlineDevice = signIn(server, r, 2)) {
            for (int d = 1; d <= SENDER_DEVICES; d++) {
                senders.add(signIn(server, s, d));
            }
            long started = System.nanoTime();
            var shares = new ArrayList<Future<List<MessageItem>>>();
            for (int d = 1; d <= SENDER_DEVICES; d++) {
                shares.add(pool.submit(sendShare(senders.get(d - 1), d, r)));
            }
            var sentTexts = new HashSet<String>();
            var senderSeqs = new ArrayList<Long>();
            for (int d = 1; d <= SENDER_DEVICES; d++) {
                var replies = shares.get(d - 1).get(4, TimeUnit.MINUTES);
                assertThat(replies).hasSize(PER_DEVICE);
                // one connection's commands run in order: its replies match its sends, with increasing seqs
                for (int i = 0; i < PER_DEVICE; i++) {
                    assertThat(Chat.textOf(replies.get(i))).isEqualTo("d" + d + "-" + i);
                    if (i > 0) {
                        assertThat(replies.get(i).getSeq()).isGreaterThan(replies.get(i - 1).getSeq());
                    }
                    sentTexts.add(Chat.textOf(replies.get(i)));
                    senderSeqs.add(replies.get(i).getSeq());
                }
            }
            long sendMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(sentTexts).hasSize(MESSAGES);
            assertThat(senderSeqs).as("the sender's copies: seqs 1..10000")
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, MESSAGES).boxed().toList());

            // the device that stayed online got every push, in seq order
            for (long expected = 1; expected <= MESSAGES; expected++) {
                var push = pushed(onlineDevice);
                assertThat(push.getSeq()).as("push #%d", expected).isEqualTo(expected);
            }

            // the offline device signs in and catches up
            long catchUpStarted = System.nanoTime();
            try (var receiver = signIn(server, r, 1)) {
                var item = conversationWith(receiver, USER, s);
                assertThat(item.getLastSeq()).isEqualTo(MESSAGES);
                assertThat(item.getReceiveNum()).isEqualTo(MESSAGES);
                var caughtUp = new ArrayList<MessageItem>(MESSAGES);
                long localSeq = 0;
                int pages = 0;
                while (true) {
                    var page = syncAfter(receiver, item.getId(), localSeq, 100);
                    pages++;
                    assertThat(page.getMessagesCount()).isLessThanOrEqualTo(100);
                    caughtUp.addAll(page.getMessagesList());
                    if (!page.getHasMore()) {
                        break;
                    }
                    localSeq = page.getMessages(page.getMessagesCount() - 1).getSeq();
                }
                long catchUpMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - catchUpStarted);

                assertThat(caughtUp).hasSize(MESSAGES);
                assertThat(caughtUp).extracting(MessageItem::getSeq).as("seqs 1..10000 in order, none repeated")
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, MESSAGES).boxed().toList());
                assertThat(caughtUp).extracting(Chat::textOf).containsExactlyInAnyOrderElementsOf(sentTexts);
                assertThat(caughtUp).extracting(MessageItem::getConversationId).containsOnly(item.getId());
                assertThat(pages).isEqualTo(MESSAGES / 100);
                assertThat(conversationWith(receiver, USER, s).getReadSeq()).as("catching up is not reading")
                        .isZero();
                System.out.printf("OfflineCatchUpIT: %d messages sent in %d ms (%d devices pipelining); "
                        + "caught up in %d pages in %d ms%n", MESSAGES, sendMillis, SENDER_DEVICES, pages,
                        catchUpMillis);
            }
        } finally {
            pool.shutdownNow();
            senders.forEach(WsClient::close);
        }
    }
}

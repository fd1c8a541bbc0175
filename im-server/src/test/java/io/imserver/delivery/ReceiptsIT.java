package io.imserver.delivery;

import io.imserver.testing.Chat;
import io.imserver.testing.ChatServerTestBase;
import static io.imserver.testing.Chat.GROUP;
import static io.imserver.testing.Chat.QUIET;
import static io.imserver.testing.Chat.USER;
import static io.imserver.testing.Chat.conversation;
import static io.imserver.testing.Chat.conversationWith;
import static io.imserver.testing.Chat.markRead;
import static io.imserver.testing.Chat.newGroup;
import static io.imserver.testing.Chat.newUser;
import static io.imserver.testing.Chat.pushed;
import static io.imserver.testing.Chat.pushedReceipt;
import static io.imserver.testing.Chat.sendTo;
import static io.imserver.testing.Chat.sendToGroup;
import static io.imserver.testing.Chat.signIn;
import static io.imserver.testing.Chat.syncByOffset;
import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import pb.GroupReadReq;
import pb.GroupReadResp;
import pb.ReadReceipt;

/** Read positions reach every device: {@code readsync} to the reader's others, {@code receipt} to a 1:1 sender. */
class ReceiptsIT extends ChatServerTestBase {
    private static void assertReadSync(ReadReceipt r, long conversationId, long peerId, long readerId, long readSeq,
                                       long unread) {
        assertThat(r.getConversationId()).as("conversation_id").isEqualTo(conversationId);
        assertThat(r.getReceiverType()).as("receiver_type").isEqualTo(USER);
        assertThat(r.getReceiverId()).as("receiver_id").isEqualTo(peerId);
        assertThat(r.getReaderId()).as("reader_id").isEqualTo(readerId);
        assertThat(r.getReadSeq()).as("read_seq").isEqualTo(readSeq);
        assertThat(r.getUnread()).as("unread").isEqualTo(unread);
    }

    private static void assertReceipt(ReadReceipt r, long senderConversationId, long readerId, long senderSeq) {
        assertThat(r.getConversationId()).as("the sender's own conversation").isEqualTo(senderConversationId);
        assertThat(r.getReceiverType()).isEqualTo(USER);
        assertThat(r.getReceiverId()).as("the sender's peer").isEqualTo(readerId);
        assertThat(r.getReaderId()).isEqualTo(readerId);
        assertThat(r.getReadSeq()).as("seq in the sender's stream").isEqualTo(senderSeq);
    }

    @Test
    void readingOnOneDevice_syncsTheReadersOtherDevices_andSendsReceiptsToEveryDeviceOfTheSender() {
        long s = newUser(server);
        long r = newUser(server);
        try (var sender = signIn(server, s, 1); var sendersPhone = signIn(server, s, 2);
             var readerA = signIn(server, r, 1); var readerB = signIn(server, r, 2)) {
            var sent = List.of(sendTo(sender, r, "one"), sendTo(sender, r, "two"), sendTo(sender, r, "three"));
            var atA = List.of(pushed(readerA), pushed(readerA), pushed(readerA));
            for (int i = 0; i < 3; i++) {
                pushed(readerB);
                pushed(sendersPhone);
            }
            long senderConv = sent.get(0).getConversationId();
            long readerConv = atA.get(0).getConversationId();
            assertThat(senderConv).isNotEqualTo(readerConv);

            // messageread of the second message
            markRead(readerA, atA.get(1).getId());
            assertReadSync(pushedReceipt(readerB, "readsync"), readerConv, s, r, 2, 1);
            assertReceipt(pushedReceipt(sender, "receipt"), senderConv, r, sent.get(1).getSeq());
            assertReceipt(pushedReceipt(sendersPhone, "receipt"), senderConv, r, sent.get(1).getSeq());
            readerA.assertNoOutput("readsync", QUIET);
            readerA.assertNoOutput("receipt", Duration.ZERO);
            var senderView = conversation(sender, senderConv);
            assertThat(senderView.getPeerReadSeq()).isEqualTo(sent.get(1).getSeq());
            var readerView = conversation(readerB, readerConv);
            assertThat(readerView.getReadSeq()).isEqualTo(2);
            assertThat(readerView.getReceiveNum()).isEqualTo(1);

            // an offset sync reads the rest
            syncByOffset(readerA, readerConv, 10);
            assertReadSync(pushedReceipt(readerB, "readsync"), readerConv, s, r, 3, 0);
            assertReceipt(pushedReceipt(sender, "receipt"), senderConv, r, sent.get(2).getSeq());
            assertReceipt(pushedReceipt(sendersPhone, "receipt"), senderConv, r, sent.get(2).getSeq());
            assertThat(conversation(sender, senderConv).getPeerReadSeq()).isEqualTo(3);
            assertThat(conversation(readerA, readerConv).getReceiveNum()).isZero();

            // the read position never moves back: reading an older message again tells nobody anything
            markRead(readerB, atA.get(0).getId());
            readerA.assertNoOutput("readsync", QUIET);
            sender.assertNoOutput("receipt", Duration.ZERO);
            assertThat(conversation(readerA, readerConv).getReadSeq()).isEqualTo(3);
            assertThat(conversation(sender, senderConv).getPeerReadSeq()).isEqualTo(3);
        }
    }

    @Test
    void aReceipt_afterInterleavedAnswers_carriesTheSeqOfTheSendersNewestReadMessage() {
        long s = newUser(server);
        long r = newUser(server);
        try (var sender = signIn(server, s, 1); var reader = signIn(server, r, 1)) {
            var m1 = sendTo(sender, r, "m1");
            var r1 = pushed(reader);
            // the reader answers, then the sender writes again: the reader's read position is at its own answer
            sendTo(reader, s, "answer");
            pushed(sender);
            var m3 = sendTo(sender, r, "m3");
            var r3 = pushed(reader);
            assertThat(conversation(reader, r3.getConversationId()).getReadSeq()).isEqualTo(2);
            assertThat(m1.getSeq()).isEqualTo(1);

            markRead(reader, r3.getId());
            assertReceipt(pushedReceipt(sender, "receipt"), m3.getConversationId(), r, m3.getSeq());
            assertThat(conversation(sender, m3.getConversationId()).getPeerReadSeq()).isEqualTo(3);
            assertThat(r1.getSeq()).isEqualTo(1);
        }
    }

    private static List<Tuple> counts(WsClient client, long conversationId, long... seqs) {
        var out = client.request("groupreadcount", GroupReadReq.newBuilder().setConversationId(conversationId)
                .addAllSeqs(LongStream.of(seqs).boxed().toList()).build());
        return Chat.ok(out, GroupReadResp.parser()).getCountsList().stream()
                .map(c -> new Tuple(c.getSeq(), c.getReadCount(), c.getMemberCount())).toList();
    }

    private static Tuple count(long seq, long read, long members) {
        return new Tuple(seq, read, members);
    }

    @Test
    void groupReadCount_countsTheMembersOtherThanTheSenderWhoReadEachMessage() {
        long o = newUser(server);
        long m1 = newUser(server);
        long m2 = newUser(server);
        long group = newGroup(server, o, m1, m2);
        try (var owner = signIn(server, o, 1); var first = signIn(server, m1, 1); var firstsPhone = signIn(server, m1, 2);
             var second = signIn(server, m2, 1)) {
            var g1 = sendToGroup(owner, group, "g1");
            var g2 = sendToGroup(owner, group, "g2");
            long ownerConv = g1.getConversationId();
            long firstConv = pushed(first).getConversationId();
            pushed(first);
            pushed(second);
            pushed(second);
            assertThat(counts(owner, ownerConv, 1, 2)).containsExactly(count(1, 0, 2), count(2, 0, 2));

            markRead(first, g1.getId());
            var sync = pushedReceipt(firstsPhone, "readsync");
            assertThat(sync.getConversationId()).isEqualTo(firstConv);
            assertThat(sync.getReceiverType()).isEqualTo(GROUP);
            assertThat(sync.getReceiverId()).isEqualTo(group);
            assertThat(sync.getReadSeq()).isEqualTo(1);
            assertThat(sync.getUnread()).isEqualTo(1);
            assertThat(counts(owner, ownerConv, 1, 2)).containsExactly(count(1, 1, 2), count(2, 0, 2));

            markRead(second, g2.getId());
            assertThat(counts(owner, ownerConv, 1, 2)).containsExactly(count(1, 2, 2), count(2, 1, 2));

            // sending reads the group for the sender; the sender of seq 3 is not counted for it
            var g3 = sendToGroup(first, group, "g3");
            assertThat(g3.getSeq()).isEqualTo(3);
            assertThat(counts(first, firstConv, 1, 2, 3))
                    .containsExactly(count(1, 2, 2), count(2, 2, 2), count(3, 0, 2));
            markRead(owner, pushed(owner).getId());
            assertThat(counts(second, conversationWith(second, GROUP, group).getId(), 3))
                    .containsExactly(count(3, 1, 2));
            // group reads send no 1:1 receipts
            owner.assertNoOutput("receipt", QUIET);
            first.assertNoOutput("receipt", Duration.ZERO);

            var tooMany = owner.request("groupreadcount", GroupReadReq.newBuilder().setConversationId(ownerConv)
                    .addAllSeqs(LongStream.rangeClosed(1, 101).boxed().toList()).build());
            assertThat(tooMany.getCode()).isEqualTo(400);
            assertThat(owner.request("groupreadcount", GroupReadReq.newBuilder().setConversationId(ownerConv)
                    .addSeqs(99).build()).getCode()).isEqualTo(404);
        }
    }
}

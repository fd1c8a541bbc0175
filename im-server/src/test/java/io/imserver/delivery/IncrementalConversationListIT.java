package io.imserver.delivery;

import io.imserver.testing.Chat;
import io.imserver.testing.ChatServerTestBase;
import static io.imserver.testing.Chat.APP;
import static io.imserver.testing.Chat.list;
import static io.imserver.testing.Chat.listSince;
import static io.imserver.testing.Chat.markRead;
import static io.imserver.testing.Chat.newGroup;
import static io.imserver.testing.Chat.newUser;
import static io.imserver.testing.Chat.pushed;
import static io.imserver.testing.Chat.sendTo;
import static io.imserver.testing.Chat.sendToGroup;
import static io.imserver.testing.Chat.signIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.WsClient;
import org.junit.jupiter.api.Test;
import pb.ConversationItem;
import pb.ConversationResp;
import pb.ConversationSettingReq;

/** {@code getconversationlist} with {@code since_version}: only the conversations whose view changed. */
class IncrementalConversationListIT extends ChatServerTestBase {
    /** The changes after {@code version}: asserts they are exactly these conversations, in this order. */
    private static ConversationResp assertChanged(WsClient client, long version, Long... conversationIds) {
        var changes = listSince(client, version, 100);
        assertThat(changes.getConversationList()).extracting(ConversationItem::getId).containsExactly(conversationIds);
        assertThat(changes.getHasMore()).isFalse();
        assertThat(changes.getConversationList()).extracting(ConversationItem::getVersion)
                .allSatisfy(v -> assertThat(v).isGreaterThan(version)).isSorted();
        assertThat(changes.getVersion()).isGreaterThanOrEqualTo(version);
        changes.getConversationList()
                .forEach(c -> assertThat(changes.getVersion()).isGreaterThanOrEqualTo(c.getVersion()));
        return changes;
    }

    @Test
    void sinceVersion_returnsOnlyTheConversationsThatChanged_withHigherVersions() {
        long u = newUser(server);
        long p1 = newUser(server);
        long p2 = newUser(server);
        long p3 = newUser(server);
        long o = newUser(server);
        long group = newGroup(server, o, u);
        try (var me = signIn(server, u, 1); var peer1 = signIn(server, p1, 1); var peer2 = signIn(server, p2, 1);
             var peer3 = signIn(server, p3, 1); var owner = signIn(server, o, 1)) {
            sendTo(peer1, u, "from p1");
            sendTo(peer2, u, "from p2");
            sendTo(peer3, u, "from p3");
            sendToGroup(owner, group, "to the group");
            long c1 = pushed(me).getConversationId();
            var fromP2 = pushed(me);
            long c2 = fromP2.getConversationId();
            long c3 = pushed(me).getConversationId();
            long cg = pushed(me).getConversationId();

            var full = list(me);
            assertThat(full.getConversationList()).extracting(ConversationItem::getId)
                    .containsExactlyInAnyOrder(c1, c2, c3, cg);
            long v0 = full.getVersion();
            assertThat(v0).isPositive();
            full.getConversationList().forEach(c -> assertThat(c.getVersion()).isPositive().isLessThanOrEqualTo(v0));

            // a new message
            sendTo(peer1, u, "again from p1");
            var afterMessage = assertChanged(me, v0, c1);
            assertThat(afterMessage.getConversation(0).getLastSeq()).isEqualTo(2);
            assertThat(afterMessage.getConversation(0).getMessagenewcontent()).isEqualTo("again from p1");
            long v1 = afterMessage.getVersion();

            // a read position
            markRead(me, fromP2.getId());
            var afterRead = assertChanged(me, v1, c2);
            assertThat(afterRead.getConversation(0).getReadSeq()).isEqualTo(1);
            assertThat(afterRead.getConversation(0).getReceiveNum()).isZero();
            long v2 = afterRead.getVersion();

            // a setting
            Chat.ok(me.request("upconversation", ConversationSettingReq.newBuilder().setConversationId(c3).setTop(2)
                    .build()));
            var afterPin = assertChanged(me, v2, c3);
            assertThat(afterPin.getConversation(0).getTop()).isEqualTo(2);
            long v3 = afterPin.getVersion();

            // a group message by another member
            sendToGroup(owner, group, "group again");
            var afterGroup = assertChanged(me, v3, cg);
            assertThat(afterGroup.getConversation(0).getLastSeq()).isEqualTo(2);
            long v4 = afterGroup.getVersion();

            // changes of other users' conversations are not the caller's
            sendTo(peer1, p2, "not about me");
            var none = assertChanged(me, v4);
            assertThat(none.getConversationList()).isEmpty();
            long v5 = none.getVersion();

            // membership
            server.admin().removeMember(APP, group, u);
            assertChanged(me, v5, cg);

            // the full list agrees with what the changes said
            var now = list(me);
            assertThat(now.getConversationList()).hasSize(4);
            assertThat(now.getVersion()).isGreaterThanOrEqualTo(v5);
        }
    }

    @Test
    void aLimitedIncrementalList_isCutWithHasMore_andTheNextCallWithItsVersionGetsTheRest() {
        long u = newUser(server);
        long p1 = newUser(server);
        long p2 = newUser(server);
        long p3 = newUser(server);
        try (var me = signIn(server, u, 1); var peer1 = signIn(server, p1, 1); var peer2 = signIn(server, p2, 1);
             var peer3 = signIn(server, p3, 1)) {
            long c1 = sendTo(me, p1, "hi p1").getConversationId();
            long c2 = sendTo(me, p2, "hi p2").getConversationId();
            long c3 = sendTo(me, p3, "hi p3").getConversationId();
            long v0 = list(me).getVersion();

            sendTo(peer1, u, "one");
            sendTo(peer2, u, "two");
            sendTo(peer3, u, "three");

            var first = listSince(me, v0, 2);
            assertThat(first.getConversationList()).extracting(ConversationItem::getId).containsExactly(c1, c2);
            assertThat(first.getHasMore()).isTrue();
            assertThat(first.getVersion()).isGreaterThan(v0);

            var rest = listSince(me, first.getVersion(), 2);
            assertThat(rest.getConversationList()).extracting(ConversationItem::getId).containsExactly(c3);
            assertThat(rest.getHasMore()).isFalse();
            assertThat(rest.getVersion()).isGreaterThanOrEqualTo(rest.getConversation(0).getVersion());

            var nothing = listSince(me, rest.getVersion(), 2);
            assertThat(nothing.getConversationList()).isEmpty();
            assertThat(nothing.getHasMore()).isFalse();
        }
    }
}

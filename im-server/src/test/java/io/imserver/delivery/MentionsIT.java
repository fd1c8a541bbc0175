package io.imserver.delivery;

import io.imserver.testing.Chat;
import io.imserver.testing.ChatServerTestBase;
import static io.imserver.testing.Chat.GROUP;
import static io.imserver.testing.Chat.USER;
import static io.imserver.testing.Chat.conversationWith;
import static io.imserver.testing.Chat.markRead;
import static io.imserver.testing.Chat.newGroup;
import static io.imserver.testing.Chat.newUser;
import static io.imserver.testing.Chat.pushed;
import static io.imserver.testing.Chat.send;
import static io.imserver.testing.Chat.signIn;
import static io.imserver.testing.Chat.syncByOffset;
import static io.imserver.testing.Chat.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.WsClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import pb.MessageItem;

/** {@code to_user_ids} of a group message: each mentioned member counts its unread mentions. */
class MentionsIT extends ChatServerTestBase {
    private static MessageItem mention(WsClient sender, long groupId, String text, Long... userIds) {
        return send(sender, text(GROUP, groupId, text).toBuilder().addAllToUserIds(List.of(userIds)).build());
    }

    private static long unreadMentions(WsClient client, long groupId) {
        return conversationWith(client, GROUP, groupId).getUnreadMentions();
    }

    @Test
    void aMentionedMember_countsUnreadMentions_untilItReadsPastThem() {
        long o = newUser(server);
        long x = newUser(server);
        long y = newUser(server);
        long group = newGroup(server, o, x, y);
        try (var owner = signIn(server, o, 1); var xs = signIn(server, x, 1); var ys = signIn(server, y, 1)) {
            mention(owner, group, "hey x", x);
            var pushedToX = pushed(xs);
            assertThat(pushedToX.getToUserIdsList()).containsExactly(x);
            assertThat(unreadMentions(xs, group)).isEqualTo(1);
            assertThat(unreadMentions(ys, group)).isZero();
            assertThat(unreadMentions(owner, group)).isZero();

            mention(owner, group, "hey x and y", x, y);
            var third = mention(owner, group, "note to self", o);
            assertThat(unreadMentions(xs, group)).isEqualTo(2);
            assertThat(unreadMentions(ys, group)).isEqualTo(1);
            assertThat(unreadMentions(owner, group)).as("the sender does not mention itself").isZero();

            markRead(xs, pushedToX.getId());
            assertThat(unreadMentions(xs, group)).isEqualTo(1);
            markRead(xs, third.getId());
            assertThat(unreadMentions(xs, group)).isZero();
            assertThat(unreadMentions(ys, group)).as("another member's reading changes nothing").isEqualTo(1);

            syncByOffset(ys, conversationWith(ys, GROUP, group).getId(), 10);
            assertThat(unreadMentions(ys, group)).isZero();
        }
    }

    @Test
    void mentionsInSingleChat_areIgnored() {
        long a = newUser(server);
        long b = newUser(server);
        try (var alice = signIn(server, a, 1); var bob = signIn(server, b, 1)) {
            var sent = send(alice, text(USER, b, "hi").toBuilder().addToUserIds(b).build());
            assertThat(sent.getToUserIdsList()).isEmpty();
            assertThat(pushed(bob).getToUserIdsList()).isEmpty();
            assertThat(conversationWith(bob, USER, a).getUnreadMentions()).isZero();
        }
    }
}

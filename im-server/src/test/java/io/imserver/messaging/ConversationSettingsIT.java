package io.imserver.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code upconversation} (pin) and {@code disturbconversation} (mute): 1 off, 2 on. */
class ConversationSettingsIT extends MessagingTestBase {

    @Test
    void upconversation_top2_listsThatConversationFirst_andTop1_unpinsIt() {
        long owner = newUser("owner");
        long oldest = newUser("oldest");
        long middle = newUser("middle");
        long newest = newUser("newest");
        var o1 = signIn(owner, 1);
        long oldestConversation = sendText(o1, oldest, "1").getConversationId();
        sendText(o1, middle, "2");
        long newestTime = sendText(o1, newest, "3").getSendTime();
        assertThat(conversations(o1)).extracting(c -> c.getReceiverId()).containsExactly(newest, middle, oldest);

        ok(pinRequest(o1, oldestConversation, 2));

        var pinned = conversations(o1);
        assertThat(pinned).extracting(c -> c.getReceiverId()).containsExactly(oldest, newest, middle);
        assertThat(pinned.get(0).getTop()).isEqualTo(2);
        assertThat(pinned.get(0).getDisturb()).as("pinning does not mute").isEqualTo(1);
        assertThat(pinned.subList(1, 3)).allSatisfy(c -> assertThat(c.getTop()).isEqualTo(1));

        clockPast(newestTime);
        sendText(o1, middle, "activity does not beat a pin");
        assertThat(conversations(o1)).extracting(c -> c.getReceiverId()).containsExactly(oldest, middle, newest);

        ok(pinRequest(o1, oldestConversation, 1));
        var unpinned = conversations(o1);
        assertThat(unpinned).extracting(c -> c.getReceiverId()).containsExactly(middle, newest, oldest);
        assertThat(unpinned).allSatisfy(c -> assertThat(c.getTop()).isEqualTo(1));
    }

    @Test
    void upconversation_ofTheReceiversConversation_pinsItOnlyForTheReceiver() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        long carol = newUser("carol");
        var a1 = signIn(alice, 1);
        var b1 = signIn(bob, 1);
        long bobsConversationWithAlice = addConversation(b1, USER, alice);
        sendText(a1, bob, "from alice");
        sendText(signIn(carol, 1), bob, "from carol");

        ok(pinRequest(b1, bobsConversationWithAlice, 2));

        assertThat(conversations(b1)).extracting(c -> c.getReceiverId()).containsExactly(alice, carol);
        assertThat(conversationWith(a1, USER, bob).getTop()).isEqualTo(1);
    }

    @Test
    void disturbconversation_disturb2_excludesItFromChatreadnum_butTheListStillCountsIt() {
        long owner = newUser("owner");
        long noisy = newUser("noisy");
        long quiet = newUser("quiet");
        var o1 = signIn(owner, 1);
        var n1 = signIn(noisy, 1);
        var q1 = signIn(quiet, 1);
        for (int i = 0; i < 3; i++) {
            sendText(n1, owner, "spam " + i);
        }
        sendText(q1, owner, "important");
        assertThat(totalUnread(o1)).isEqualTo(4);
        long noisyConversation = conversationWith(o1, USER, noisy).getId();

        ok(muteRequest(o1, noisyConversation, 2));

        assertThat(totalUnread(o1)).isEqualTo(1);
        var muted = conversationWith(o1, USER, noisy);
        assertThat(muted.getDisturb()).isEqualTo(2);
        assertThat(muted.getTop()).as("muting does not pin").isEqualTo(1);
        assertThat(muted.getReceiveNum()).isEqualTo(3);
        sendText(n1, owner, "more spam");
        assertThat(totalUnread(o1)).isEqualTo(1);
        assertThat(unreadWith(o1, USER, noisy)).isEqualTo(4);

        ok(muteRequest(o1, noisyConversation, 1));
        assertThat(totalUnread(o1)).isEqualTo(5);
        assertThat(conversationWith(o1, USER, noisy).getDisturb()).isEqualTo(1);
    }

    @Test
    void disturbconversation_ofAGroup_excludesItFromChatreadnum() {
        long owner = newUser("owner");
        long member = newUser("member");
        var o1 = signIn(owner, 1);
        var m1 = signIn(member, 1);
        long group = createGroup("chatty", owner, member);
        sendGroupText(o1, group, "a");
        sendGroupText(o1, group, "b");
        assertThat(totalUnread(m1)).isEqualTo(2);

        ok(muteRequest(m1, conversationWith(m1, GROUP, group).getId(), 2));

        assertThat(totalUnread(m1)).isZero();
        assertThat(unreadWith(m1, GROUP, group)).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, -1, 100})
    void settingValuesOtherThan1Or2_areInvalid_andChangeNothing(int value) {
        long owner = newUser("owner");
        long peer = newUser("peer");
        var o1 = signIn(owner, 1);
        long conversation = sendText(o1, peer, "hi").getConversationId();
        ok(pinRequest(o1, conversation, 2));
        ok(muteRequest(o1, conversation, 2));

        assertRefused(pinRequest(o1, conversation, value), ErrorCode.INVALID_REQUEST);
        assertRefused(muteRequest(o1, conversation, value), ErrorCode.INVALID_REQUEST);

        var c = conversationWith(o1, USER, peer);
        assertThat(c.getTop()).isEqualTo(2);
        assertThat(c.getDisturb()).isEqualTo(2);
    }
}

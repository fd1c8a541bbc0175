package io.imserver.social;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.protocol.ErrorCode;
import io.imserver.testing.WsClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pb.BlockListResp;
import pb.BlockReq;
import pb.ConversationReq;
import pb.ConversationResp;

/** {@code block}, {@code unblock}, {@code getblocks}, and the app's "friends only" option, as 1:1 senders see them. */
class BlocklistIT extends SocialTestBase {

    @Test
    void aBlockedUsersMessagesAreRefusedAndNotStoredWhileTheBlockerStillSends() {
        long alice = newUser("Alice");
        long bob = newUser("Bob");
        var a = signIn(alice);
        var b = signIn(bob);

        ok(b.request("block", block(alice)));

        assertRefused(sendText(a, bob, "hello?"), ErrorCode.BLOCKED);
        b.assertNoOutput("message", QUIET);
        assertThat(conversations(b)).isZero();
        assertThat(conversations(a)).isZero();
        // one direction only: bob still reaches alice
        ok(sendText(b, alice, "I can write to you"));
        a.awaitType("message");
        assertThat(blocked(b)).containsExactly(alice);
        assertThat(blocked(a)).isEmpty();

        ok(b.request("unblock", block(alice)));

        assertThat(blocked(b)).isEmpty();
        ok(sendText(a, bob, "now?"));
        b.awaitType("message");
    }

    @Test
    void blockingAndUnblockingAreIdempotent() {
        long alice = newUser("Alice");
        long bob = newUser("Bob");
        var b = signIn(bob);
        ok(b.request("block", block(alice)));
        ok(b.request("block", block(alice)));
        assertThat(blocked(b)).containsExactly(alice);
        ok(b.request("unblock", block(alice)));
        ok(b.request("unblock", block(alice)));
        assertThat(blocked(b)).isEmpty();
    }

    @Test
    void groupMessagesAreNotAffectedByBlocks() {
        long alice = newUser("Alice");
        long bob = newUser("Bob");
        long group = createGroup(alice, bob);
        var a = signIn(alice);
        var b = signIn(bob);
        ok(b.request("block", block(alice)));

        ok(sendGroupText(a, group, "to everyone"));

        b.awaitType("message");
    }

    @Test
    void aBlockedUsersFriendRequestIsRefused() {
        long alice = newUser("Alice");
        long bob = newUser("Bob");
        var a = signIn(alice);
        var b = signIn(bob);
        ok(b.request("block", block(alice)));

        assertRefused(addExamine(a, FRIEND, bob, "hi"), ErrorCode.BLOCKED);
        b.assertNoOutput("examine", QUIET);
    }

    @Test
    void blockingOneselfOrAnUnknownUserIsRefused() {
        long alice = newUser("Alice");
        long outsider = newUser(OTHER_APP, "Outsider");
        var a = signIn(alice);
        assertRefused(a.request("block", block(alice)), ErrorCode.INVALID_REQUEST);
        assertRefused(a.request("block", block(outsider)), ErrorCode.NOT_FOUND);
        assertRefused(a.request("block", block(0)), ErrorCode.INVALID_REQUEST);
        assertThat(blocked(a)).isEmpty();
    }

    @Test
    void withFriendsOnlyOnlyFriendsSend1to1() {
        long app = 3;
        admin.putApp(app, "friends only");
        var setting = admin.call("PUT", "/api/v1/apps/" + app, Map.of("name", "friends only", "friends_only", true));
        assertThat(setting.status()).as(setting.text()).isEqualTo(200);
        assertThat(setting.body().get("friends_only").asBoolean()).isTrue();
        long alice = newUser(app, "Alice");
        long bob = newUser(app, "Bob");
        long carol = newUser(app, "Carol");
        long group = admin.createGroup(app, "g", alice, java.util.List.of(carol));
        var a = signIn(app, alice);
        var b = signIn(app, bob);
        var c = signIn(app, carol);
        befriend(a, b, bob, alice);

        ok(sendText(a, bob, "friend"));
        ok(sendText(b, alice, "friend back"));
        assertRefused(sendText(a, carol, "stranger"), ErrorCode.NOT_FRIENDS);
        c.assertNoOutput("message", QUIET);
        ok(sendGroupText(a, group, "groups are open"));
        ok(sendText(a, alice, "notes to self"));

        var off = admin.call("PUT", "/api/v1/apps/" + app, Map.of("name", "friends only", "friends_only", false));
        assertThat(off.body().get("friends_only").asBoolean()).isFalse();
        assertThat(admin.call("GET", "/api/v1/apps/" + app, null).body().get("friends_only").asBoolean()).isFalse();
        ok(sendText(a, carol, "now anyone"));
        assertRefused(admin.call("PUT", "/api/v1/apps/" + app, Map.of("name", "x", "friends_only", "yes")).status());
    }

    private static void assertRefused(int httpStatus) {
        assertThat(httpStatus).isEqualTo(400);
    }

    private static BlockReq block(long userId) {
        return BlockReq.newBuilder().setUserId(userId).build();
    }

    private static java.util.List<Long> blocked(WsClient client) {
        return WsClient.parse(ok(client.request("getblocks", null)), BlockListResp.parser()).getUserIdsList();
    }

    private static int conversations(WsClient client) {
        return WsClient.parse(ok(client.request("getconversationlist", ConversationReq.newBuilder().setLimit(100)
                .build())), ConversationResp.parser()).getConversationCount();
    }
}

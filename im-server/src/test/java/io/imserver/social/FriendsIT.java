package io.imserver.social;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.protocol.ErrorCode;
import io.imserver.testing.WsClient;
import org.junit.jupiter.api.Test;
import pb.DeleteFriendReq;
import pb.FriendItem;
import pb.GetFriendListReq;
import pb.GetFriendListResp;

/** {@code getfriends}, {@code searchfriends}, {@code upremarkfriend} and {@code deletefriend} over a real WebSocket. */
class FriendsIT extends SocialTestBase {

    @Test
    void anAcceptedFriendRequestListsEachAsTheOthersFriend() {
        long alice = newUser("Alice");
        long bob = newUser("Bob");
        var a = signIn(alice);
        var b = signIn(bob);
        befriend(a, b, bob, alice);

        var ofAlice = friends(a).getFriendsList();
        assertThat(ofAlice).hasSize(1);
        assertThat(ofAlice.get(0).getFId()).isEqualTo(bob);
        assertThat(ofAlice.get(0).getUserId()).isEqualTo(alice);
        assertThat(ofAlice.get(0).getNickname()).isEqualTo("Bob");
        assertThat(ofAlice.get(0).getRemark()).isEqualTo("remark of " + bob);
        assertThat(ofAlice.get(0).getAppId()).isEqualTo(APP);
        assertThat(ofAlice.get(0).getCreateTime()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
        assertThat(friendIds(b)).containsExactly(alice);
    }

    @Test
    void searchMatchesNicknameRemarkAndAccountOfFriendsOnly() {
        long me = newUser("Me");
        long carol = newUser("Carol Smith");
        long dave = newUser("Dave");
        long stranger = newUser("Carol Stranger");
        var m = signIn(me);
        befriend(m, signIn(carol), carol, me);
        befriend(m, signIn(dave), dave, me);
        ok(m.request("upremarkfriend", FriendItem.newBuilder().setFId(dave).setRemark("my 100%_brother").build()));

        assertThat(search(m, "carol")).containsExactly(carol);
        assertThat(search(m, "BROTHER")).containsExactly(dave);
        assertThat(search(m, "100%_")).containsExactly(dave);
        assertThat(search(m, "%")).containsExactly(dave);
        assertThat(search(m, "nobody")).isEmpty();
        assertThat(search(m, "Stranger")).doesNotContain(stranger).isEmpty();
        assertRefused(m.request("searchfriends", GetFriendListReq.newBuilder().setKeyword(" ").build()),
                ErrorCode.INVALID_REQUEST);
        assertRefused(m.request("searchfriends", GetFriendListReq.newBuilder().setKeyword("x".repeat(65)).build()),
                ErrorCode.INVALID_REQUEST);
    }

    @Test
    void aRemarkChangesOnlyTheCallersEntryAndOnlyForAFriend() {
        long alice = newUser("Alice");
        long bob = newUser("Bob");
        long stranger = newUser("Stranger");
        var a = signIn(alice);
        var b = signIn(bob);
        befriend(a, b, bob, alice);

        var updated = WsClient.parse(ok(a.request("upremarkfriend", FriendItem.newBuilder().setFId(bob)
                .setRemark("Bobby").build())), FriendItem.parser());
        assertThat(updated.getRemark()).isEqualTo("Bobby");
        assertThat(friends(a).getFriends(0).getRemark()).isEqualTo("Bobby");
        assertThat(friends(b).getFriends(0).getRemark()).isEmpty();

        assertRefused(a.request("upremarkfriend", FriendItem.newBuilder().setFId(stranger).setRemark("x").build()),
                ErrorCode.NOT_FOUND);
        assertRefused(a.request("upremarkfriend", FriendItem.newBuilder().setFId(bob).setRemark("x".repeat(65))
                .build()), ErrorCode.INVALID_REQUEST);
        assertRefused(a.request("upremarkfriend", FriendItem.newBuilder().setFId(bob).setRemark("a\0b").build()),
                ErrorCode.INVALID_REQUEST);
    }

    @Test
    void deletingAFriendEndsTheFriendshipForBoth() {
        long alice = newUser("Alice");
        long bob = newUser("Bob");
        var a = signIn(alice);
        var b = signIn(bob);
        befriend(a, b, bob, alice);

        ok(b.request("deletefriend", DeleteFriendReq.newBuilder().setFId(alice).build()));

        assertThat(friendIds(a)).isEmpty();
        assertThat(friendIds(b)).isEmpty();
        assertRefused(b.request("deletefriend", DeleteFriendReq.newBuilder().setFId(alice).build()),
                ErrorCode.NOT_FOUND);
        // a new request works again after the friendship ended
        befriend(a, b, bob, alice);
        assertThat(friendIds(a)).containsExactly(bob);
    }

    @Test
    void identityFieldsOfTheRequestAreIgnoredAndOtherAppsStayInvisible() {
        long alice = newUser("Alice");
        long bob = newUser("Bob");
        long outsider = newUser(OTHER_APP, "Outsider");
        var a = signIn(alice);
        befriend(a, signIn(bob), bob, alice);
        var o = signIn(OTHER_APP, outsider);

        // the outsider names alice's app and id: it still sees only its own (empty) list
        var resp = WsClient.parse(ok(o.request("getfriends", GetFriendListReq.newBuilder().setUserId(alice)
                .setAppId(APP).build())), GetFriendListResp.parser());
        assertThat(resp.getFriendsList()).isEmpty();
        assertRefused(addExamine(o, FRIEND, alice, "hi"), ErrorCode.NOT_FOUND);
        assertRefused(o.request("deletefriend", DeleteFriendReq.newBuilder().setUserId(alice).setFId(bob).build()),
                ErrorCode.NOT_FOUND);
        assertThat(friendIds(a)).containsExactly(bob);
    }

    @Test
    void aDeletedUserLeavesTheFriendListsAndBlocklistsOfOthers() {
        long alice = newUser("Alice");
        long bob = newUser("Bob");
        var a = signIn(alice);
        befriend(a, signIn(bob), bob, alice);
        ok(a.request("block", pb.BlockReq.newBuilder().setUserId(bob).build()));

        var deleted = admin.call("DELETE", "/api/v1/apps/" + APP + "/users/" + bob, null);
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);

        assertThat(friendIds(a)).isEmpty();
        assertThat(WsClient.parse(ok(a.request("getblocks", null)), pb.BlockListResp.parser()).getUserIdsList())
                .isEmpty();
    }

    private static java.util.List<Long> search(WsClient client, String keyword) {
        return WsClient.parse(ok(client.request("searchfriends", GetFriendListReq.newBuilder().setKeyword(keyword)
                .build())), GetFriendListResp.parser()).getFriendsList().stream().map(FriendItem::getFId).toList();
    }
}

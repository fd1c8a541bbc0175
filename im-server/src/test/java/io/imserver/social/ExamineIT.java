package io.imserver.social;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.protocol.ErrorCode;
import io.imserver.testing.WsClient;
import org.junit.jupiter.api.Test;
import pb.AddExamine;
import pb.GetExamine;
import pb.GetExamineReq;
import pb.GetExamines;
import pb.GetUserGroupsReq;
import pb.GetUserGroupsResp;
import pb.ReadNumResp;

/** Requests ("examine"): {@code addexamine}, {@code getexamine}, {@code upexamine}, {@code examinereadnum}. */
class ExamineIT extends SocialTestBase {

    @Test
    void aFriendRequestIsPushedListedAndCountedUntilListed() {
        long alice = newUser("Alice");
        long bob = newUser("Bob");
        var a = signIn(alice);
        var b = signIn(bob);

        var stored = WsClient.parse(ok(addExamine(a, FRIEND, bob, "it's Alice")), GetExamine.parser());
        assertThat(stored.getExamine()).isZero();

        var pushed = WsClient.parse(b.awaitType("examine"), GetExamine.parser());
        assertThat(pushed.getId()).isEqualTo(stored.getId());
        assertThat(pushed.getUserId()).isEqualTo(alice);
        assertThat(pushed.getNickname()).isEqualTo("Alice");
        assertThat(pushed.getExaminetext()).isEqualTo("it's Alice");
        assertThat(pushed.getType()).isEqualTo(FRIEND);
        assertThat(pushed.getFid()).isEqualTo(bob);

        assertThat(readNum(b)).isEqualTo(1);
        var listed = list(b).getExamineList();
        assertThat(listed).extracting(GetExamine::getId).containsExactly(stored.getId());
        assertThat(listed.get(0).getIsRead()).isZero();
        assertThat(readNum(b)).isZero();
        assertThat(list(b).getExamine(0).getIsRead()).isEqualTo(1);
        // the requester's own request is not addressed to it
        assertThat(list(a).getExamineList()).isEmpty();
    }

    @Test
    void acceptingMakesBothFriendsAndTellsTheRequester() {
        long alice = newUser("Alice");
        long bob = newUser("Bob");
        var a = signIn(alice);
        var b = signIn(bob);
        ok(addExamine(a, FRIEND, bob, "hi"));

        ok(upExamine(b, FRIEND, 0, alice, ACCEPT));

        var outcome = WsClient.parse(a.awaitType("examined"), GetExamine.parser());
        assertThat(outcome.getExamine()).isEqualTo(ACCEPT);
        assertThat(outcome.getFid()).isEqualTo(bob);
        assertThat(friendIds(a)).containsExactly(bob);
        assertThat(friendIds(b)).containsExactly(alice);
        assertThat(list(b).getExamine(0).getExamine()).isEqualTo(ACCEPT);
        // decided: nothing is pending any more, and a new request between friends is refused
        assertRefused(upExamine(b, FRIEND, 0, alice, ACCEPT), ErrorCode.NOT_FOUND);
        assertRefused(addExamine(a, FRIEND, bob, "again"), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void refusingMakesNoFriendsAndTellsTheRequester() {
        long alice = newUser("Alice");
        long bob = newUser("Bob");
        var a = signIn(alice);
        var b = signIn(bob);
        ok(addExamine(a, FRIEND, bob, "hi"));

        ok(upExamine(b, FRIEND, 0, alice, REFUSE));

        assertThat(WsClient.parse(a.awaitType("examined"), GetExamine.parser()).getExamine()).isEqualTo(REFUSE);
        assertThat(friendIds(a)).isEmpty();
        assertThat(friendIds(b)).isEmpty();
        // only the addressee decides: alice cannot accept her own request to bob
        ok(addExamine(a, FRIEND, bob, "please"));
        assertRefused(upExamine(a, FRIEND, 0, bob, ACCEPT), ErrorCode.NOT_FOUND);
        assertThat(friendIds(a)).isEmpty();
    }

    @Test
    void aJoinRequestGoesToOwnerAndAdminsAndOnlyTheyAdmitTheRequester() {
        long owner = newUser("Owner");
        long admin = newUser("Admin");
        long member = newUser("Member");
        long asker = newUser("Asker");
        long group = createGroup(owner, admin, member);
        makeAdmin(group, admin);
        var o = signIn(owner);
        var ad = signIn(admin);
        var m = signIn(member);
        var x = signIn(asker);

        ok(addExamine(x, JOIN_GROUP, group, "let me in"));

        assertThat(WsClient.parse(o.awaitType("examine"), GetExamine.parser()).getFid()).isEqualTo(group);
        assertThat(WsClient.parse(ad.awaitType("examine"), GetExamine.parser()).getUserId()).isEqualTo(asker);
        m.assertNoOutput("examine", QUIET);
        assertThat(list(o).getExamineList()).extracting(GetExamine::getUserId).containsExactly(asker);
        assertThat(list(m).getExamineList()).isEmpty();
        assertRefused(upExamine(m, JOIN_GROUP, group, asker, ACCEPT), ErrorCode.FORBIDDEN);
        assertRefused(sendGroupText(x, group, "before"), ErrorCode.FORBIDDEN);

        ok(upExamine(ad, JOIN_GROUP, group, asker, ACCEPT));

        assertThat(WsClient.parse(x.awaitType("examined"), GetExamine.parser()).getExamine()).isEqualTo(ACCEPT);
        // the group learns of its new member in its stream, as from addgroupusers
        var joined = GroupTestBase.noticeOf(WsClient.parse(m.awaitType("message"), pb.MessageItem.parser()), 3);
        assertThat(joined.getUserIdsList()).containsExactly(asker);
        assertThat(joined.getOperatorId()).isEqualTo(admin);
        var groups = WsClient.parse(ok(x.request("groupbyuser", GetUserGroupsReq.getDefaultInstance())),
                GetUserGroupsResp.parser());
        assertThat(groups.getGroupsList()).extracting(g -> g.getGroupId()).containsExactly(group);
        ok(sendGroupText(x, group, "hello all"));
        assertRefused(addExamine(x, JOIN_GROUP, group, "again"), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void refusedJoinRequestAddsNoMember() {
        long owner = newUser("Owner");
        long asker = newUser("Asker");
        long group = createGroup(owner);
        var o = signIn(owner);
        var x = signIn(asker);
        ok(addExamine(x, JOIN_GROUP, group, "let me in"));

        ok(upExamine(o, JOIN_GROUP, group, asker, REFUSE));

        assertThat(WsClient.parse(x.awaitType("examined"), GetExamine.parser()).getExamine()).isEqualTo(REFUSE);
        assertRefused(sendGroupText(x, group, "in?"), ErrorCode.FORBIDDEN);
    }

    @Test
    void badRequestsAreRefusedWithClearCodes() {
        long alice = newUser("Alice");
        long bob = newUser("Bob");
        long outsider = newUser(OTHER_APP, "Outsider");
        var a = signIn(alice);
        long otherAppGroup = admin.createGroup(OTHER_APP, "theirs", outsider, java.util.List.of());

        assertRefused(addExamine(a, FRIEND, alice, "me"), ErrorCode.INVALID_REQUEST);
        assertRefused(addExamine(a, FRIEND, outsider, "you"), ErrorCode.NOT_FOUND);
        assertRefused(addExamine(a, JOIN_GROUP, otherAppGroup, "in"), ErrorCode.NOT_FOUND);
        assertRefused(addExamine(a, 3, bob, "?"), ErrorCode.INVALID_REQUEST);
        assertRefused(addExamine(a, FRIEND, 0, "?"), ErrorCode.INVALID_REQUEST);
        assertRefused(addExamine(a, FRIEND, bob, "x".repeat(201)), ErrorCode.INVALID_REQUEST);
        assertRefused(a.request("addexamine", AddExamine.newBuilder().setType(FRIEND).setFid(bob).setWay(9).build()),
                ErrorCode.INVALID_REQUEST);
        assertRefused(upExamine(a, FRIEND, 0, bob, 3), ErrorCode.INVALID_REQUEST);
        assertRefused(upExamine(a, FRIEND, 0, bob, ACCEPT), ErrorCode.NOT_FOUND);
        assertRefused(upExamine(a, JOIN_GROUP, otherAppGroup, outsider, ACCEPT), ErrorCode.NOT_FOUND);
        assertRefused(a.request("getexamine", GetExamineReq.newBuilder().setLimit(-1).build()),
                ErrorCode.INVALID_REQUEST);
    }

    private static GetExamines list(WsClient client) {
        return WsClient.parse(ok(client.request("getexamine", GetExamineReq.newBuilder().setLimit(20).build())),
                GetExamines.parser());
    }

    private static long readNum(WsClient client) {
        return WsClient.parse(ok(client.request("examinereadnum", null)), ReadNumResp.parser()).getNum();
    }
}

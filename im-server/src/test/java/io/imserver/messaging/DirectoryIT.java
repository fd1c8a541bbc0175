package io.imserver.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.protocol.ErrorCode;
import io.imserver.testing.WsClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pb.GetUserGroupsReq;
import pb.GetUserGroupsResp;
import pb.GetUserInfoReq;
import pb.GetUserInfoResp;
import pb.Group;
import pb.Output;

/** {@code getuserinfo} and {@code groupbyuser}. */
class DirectoryIT extends MessagingTestBase {

    private static Output userInfoRequest(WsClient client, long userId) {
        return client.request("getuserinfo", GetUserInfoReq.newBuilder().setUserId(userId).build());
    }

    private static GetUserInfoResp userInfo(WsClient client, long userId) {
        return WsClient.parse(ok(userInfoRequest(client, userId)), GetUserInfoResp.parser());
    }

    private static Output groupsRequest(WsClient client, int type) {
        return client.request("groupbyuser", GetUserGroupsReq.newBuilder().setType(type).build());
    }

    private static List<Long> groupIds(WsClient client, int type) {
        return WsClient.parse(ok(groupsRequest(client, type)), GetUserGroupsResp.parser()).getGroupsList().stream()
                .map(Group::getGroupId).toList();
    }

    @Test
    void getuserinfo_zero_isTheCaller() {
        long alice = newUser("alice");
        var a1 = signIn(alice, 1);

        var me = userInfo(a1, 0);

        assertThat(me.getUserId()).isEqualTo(alice);
        assertThat(me.getNickname()).isEqualTo("alice");
        assertThat(me.getAvatarUrl()).isEqualTo("https://example.test/" + alice + ".png");
        assertThat(userInfo(a1, alice)).isEqualTo(me);
    }

    @Test
    void getuserinfo_ofAnotherUser_returnsTheirProfile() {
        long alice = newUser("alice");
        long bob = newUser("bob");
        var r = admin.call("PUT", "/api/v1/apps/" + APP + "/users/" + bob, Map.of("nickname", "Bob B.",
                "avatar_url", "https://example.test/bob.jpg", "sex", 1, "sign", "hello there", "account", "bob@test"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        var a1 = signIn(alice, 1);

        var info = userInfo(a1, bob);

        assertThat(info).isEqualTo(GetUserInfoResp.newBuilder().setUserId(bob).setNickname("Bob B.")
                .setAvatarUrl("https://example.test/bob.jpg").setSex(1).setSign("hello there").setAccount("bob@test")
                .build());
    }

    @Test
    void getuserinfo_ofUnknownUser_isNotFound_andOfNegativeId_isInvalid() {
        long alice = newUser("alice");
        var a1 = signIn(alice, 1);

        assertRefused(userInfoRequest(a1, unknownUser()), ErrorCode.NOT_FOUND);
        assertRefused(userInfoRequest(a1, -1), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void groupbyuser_type0_isAllMyGroups_type1_thoseIOwnOrAdminister_type2_thoseIAmAPlainMemberOf() {
        long me = newUser("me");
        long other = newUser("other");
        var m1 = signIn(me, 1);
        long owned = createGroup("owned", me, other);
        long administered = createGroup("administered", other, me);
        makeAdmin(administered, me);
        long joined = createGroup("joined", other, me);
        createGroup("not mine", other);

        assertThat(groupIds(m1, 0)).containsExactlyInAnyOrder(owned, administered, joined);
        assertThat(groupIds(m1, 1)).containsExactlyInAnyOrder(owned, administered);
        assertThat(groupIds(m1, 2)).containsExactly(joined);
        assertRefused(groupsRequest(m1, 3), ErrorCode.INVALID_REQUEST);
        assertRefused(groupsRequest(m1, -1), ErrorCode.INVALID_REQUEST);

        var groups = WsClient.parse(ok(groupsRequest(m1, 0)), GetUserGroupsResp.parser()).getGroupsList();
        assertThat(groups).filteredOn(g -> g.getGroupId() == owned).singleElement().satisfies(g -> {
            assertThat(g.getName()).isEqualTo("owned");
            assertThat(g.getUserMum()).isEqualTo(2);
            assertThat(g.getCreateTime()).as("Unix seconds").isBetween(1_600_000_000L, 4_000_000_000L);
        });
    }

    @Test
    void groupbyuser_ofUserInNoGroup_isEmpty() {
        long loner = newUser("loner");
        var l1 = signIn(loner, 1);

        for (int type = 0; type <= 2; type++) {
            assertThat(groupIds(l1, type)).isEmpty();
        }
    }
}

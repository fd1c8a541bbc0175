package io.imserver.social;

import static io.imserver.testing.Chat.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imserver.protocol.ErrorCode;
import io.imserver.testing.GrpcClient;
import io.imserver.testing.WsClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pb.AdminAppReq;
import pb.AdminGrpc;
import pb.CreateGroupReq;
import pb.GroupUser;
import pb.GroupUsersReq;

/** The member limit per app: set through the admin API, enforced for every way into a group (GROUP_FULL 463). */
class GroupMemberLimitIT extends GroupTestBase {
    private static final long APP = 3;

    private long nextUser = 1;

    private long newUser() {
        long id = nextUser++;
        server.admin().putUser(APP, id, "u" + id);
        return id;
    }

    @Test
    void appLimit_isSetByAdminApi_andRefusesAddsPastIt_fromEveryCaller() {
        var admin = server.admin();
        admin.putApp(APP, "limited");
        assertThat(admin.call("GET", "/api/v1/apps/" + APP, null).body().get("max_group_members").asInt())
                .isEqualTo(2000);
        var set = admin.call("PUT", "/api/v1/apps/" + APP, Map.of("name", "limited", "max_group_members", 3));
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(set.body().get("max_group_members").asInt()).isEqualTo(3);
        assertThat(admin.call("PUT", "/api/v1/apps/" + APP, Map.of("name", "limited", "max_group_members", 0))
                .status()).isEqualTo(400);

        long owner = newUser();
        long a = newUser();
        long b = newUser();
        long c = newUser();
        long d = newUser();
        try (var ownerClient = server.signIn(APP, owner, 1)) {
            long group = admin.createGroup(APP, "three at most", owner, List.of(a));

            var tooMany = ownerClient.request("addgroupusers", GroupUsersReq.newBuilder().setGroupId(group)
                    .addUserIds(b).addUserIds(c).build());

            assertRefused(tooMany, ErrorCode.GROUP_FULL);
            assertThat(members(ownerClient, group)).containsExactly(owner, a);
            ok(ownerClient.request("addgroupusers", GroupUsersReq.newBuilder().setGroupId(group).addUserIds(b).build()));
            var viaAdmin = admin.call("PUT", "/api/v1/apps/" + APP + "/groups/" + group + "/members/" + c, null);
            assertThat(viaAdmin.status()).as(viaAdmin.text()).isEqualTo(409);
            assertThat(members(ownerClient, group)).containsExactly(owner, a, b);
            assertRefused(ownerClient.request("creatgroup", CreateGroupReq.newBuilder().setGroup(pb.Group.newBuilder()
                    .setName("four").setUserIds(a + "," + b + "," + d)).build()), ErrorCode.GROUP_FULL);

            admin.call("PUT", "/api/v1/apps/" + APP, Map.of("name", "limited", "max_group_members", 4));
            ok(ownerClient.request("addgroupusers", GroupUsersReq.newBuilder().setGroupId(group).addUserIds(c).build()));
            assertThat(members(ownerClient, group)).containsExactly(owner, a, b, c);
        }
    }

    @Test
    void appLimit_isSetAndShownByAdminGrpc() {
        try (var grpc = new GrpcClient(server.grpcPort())) {
            var admin = GrpcClient.asAdmin(AdminGrpc.newBlockingStub(grpc.channel()));
            var app = admin.putApp(AdminAppReq.newBuilder().setAppId(4).setName("grpc limited").build());
            assertThat(app.getMaxGroupMembers()).isEqualTo(2000);

            var limited = admin.putApp(AdminAppReq.newBuilder().setAppId(4).setName("grpc limited")
                    .setMaxGroupMembers(50).build());

            assertThat(limited.getMaxGroupMembers()).isEqualTo(50);
            assertThat(admin.getApp(AdminAppReq.newBuilder().setAppId(4).build()).getMaxGroupMembers()).isEqualTo(50);
            assertThatThrownBy(() -> admin.putApp(AdminAppReq.newBuilder().setAppId(4).setName("grpc limited")
                    .setMaxGroupMembers(-1).build())).hasMessageContaining("INVALID_ARGUMENT");
        }
    }

    private static List<Long> members(WsClient client, long group) {
        return groupUsers(client, group, 0).stream().map(GroupUser::getUserId).toList();
    }
}

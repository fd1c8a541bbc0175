package io.imserver.api.grpc;

import io.grpc.stub.StreamObserver;
import io.imserver.api.AdminUseCases;
import io.imserver.auth.Identity;
import io.imserver.messaging.Paging;
import io.imserver.protocol.ImException;
import io.imserver.store.App;
import io.imserver.store.AppLimits;
import io.imserver.store.Group;
import io.imserver.store.GroupMember;
import io.imserver.store.GroupRole;
import io.imserver.store.User;
import io.imserver.store.Webhook;
import java.util.Locale;
import pb.AdminApp;
import pb.AdminRateLimits;
import pb.AdminAppReq;
import pb.AdminBroadcastReq;
import pb.AdminBroadcastResp;
import pb.AdminDevices;
import pb.AdminDone;
import pb.AdminGrpc;
import pb.AdminGroup;
import pb.AdminGroupMember;
import pb.AdminGroupReq;
import pb.AdminMessagesReq;
import pb.AdminSendReq;
import pb.AdminToken;
import pb.AdminTokensRevoked;
import pb.AdminUser;
import pb.AdminUserReq;
import pb.AdminWebhook;
import pb.ConversationReq;
import pb.ConversationResp;
import pb.MessageItem;
import pb.SyncResp;

/** {@code pb.Admin}: the admin HTTP API over gRPC, on the same use cases, with the same rules and defaults. */
final class AdminGrpcService extends AdminGrpc.AdminImplBase {
    private final AdminUseCases use;

    AdminGrpcService(AdminUseCases use) {
        this.use = use;
    }

    @Override
    public void putApp(AdminAppReq r, StreamObserver<AdminApp> out) {
        GrpcErrors.unary("PutApp", out, () -> {
            var app = use.directory().putApp(r.getAppId(), r.getName());
            if (r.hasFriendsOnly()) {
                use.accounts().setFriendsOnly(r.getAppId(), r.getFriendsOnly());
            }
            if (r.getMaxGroupMembers() != 0) {
                use.groups().setMaxGroupMembers(r.getAppId(), r.getMaxGroupMembers());
            }
            return app(app);
        });
    }

    @Override
    public void getApp(AdminAppReq r, StreamObserver<AdminApp> out) {
        GrpcErrors.unary("GetApp", out, () -> app(use.directory().app(r.getAppId())));
    }

    @Override
    public void setAppDisabled(AdminAppReq r, StreamObserver<AdminApp> out) {
        GrpcErrors.unary("SetAppDisabled", out, () -> {
            use.accounts().setAppDisabled(r.getAppId(), r.getDisabled());
            return app(use.directory().app(r.getAppId()));
        });
    }

    @Override
    public void putUser(AdminUser r, StreamObserver<AdminUser> out) {
        GrpcErrors.unary("PutUser", out, () -> user(use.directory().putUser(r.getAppId(), r.getUserId(),
                r.getNickname(), r.getAvatarUrl(), r.getSex(), r.getSign(), r.getAccount())));
    }

    @Override
    public void getUser(AdminUserReq r, StreamObserver<AdminUser> out) {
        GrpcErrors.unary("GetUser", out, () -> user(use.directory().user(r.getAppId(), r.getUserId())));
    }

    @Override
    public void deleteUser(AdminUserReq r, StreamObserver<AdminDone> out) {
        GrpcErrors.unary("DeleteUser", out, () -> {
            use.accounts().deleteUser(r.getAppId(), r.getUserId());
            return done(true);
        });
    }

    @Override
    public void issueToken(AdminUserReq r, StreamObserver<AdminToken> out) {
        GrpcErrors.unary("IssueToken", out, () -> {
            var t = use.directory().issueToken(r.getAppId(), r.getUserId(), r.getDeviceId(),
                    r.getTtlSeconds() == 0 ? 86_400 : r.getTtlSeconds());
            return AdminToken.newBuilder().setToken(t.token()).setExpiresAt(t.expiresAt()).build();
        });
    }

    @Override
    public void revokeTokens(AdminUserReq r, StreamObserver<AdminTokensRevoked> out) {
        GrpcErrors.unary("RevokeTokens", out, () -> AdminTokensRevoked.newBuilder()
                .setRevokedAt(use.accounts().revokeTokens(r.getAppId(), r.getUserId())).build());
    }

    @Override
    public void onlineDevices(AdminUserReq r, StreamObserver<AdminDevices> out) {
        GrpcErrors.unary("OnlineDevices", out, () -> {
            use.directory().user(r.getAppId(), r.getUserId());
            return AdminDevices.newBuilder()
                    .addAllDeviceIds(use.accounts().onlineDevices(r.getAppId(), r.getUserId())).build();
        });
    }

    @Override
    public void kickDevice(AdminUserReq r, StreamObserver<AdminDone> out) {
        GrpcErrors.unary("KickDevice", out,
                () -> done(use.accounts().kickDevice(r.getAppId(), r.getUserId(), r.getDeviceId())));
    }

    @Override
    public void listConversations(AdminUserReq r, StreamObserver<ConversationResp> out) {
        GrpcErrors.unary("ListConversations", out, () -> {
            use.directory().user(r.getAppId(), r.getUserId());
            return use.conversations().list(new Identity(r.getAppId(), r.getUserId(), 0),
                    ConversationReq.newBuilder().setLimit(r.getLimit()).setOffset(r.getOffset()).build());
        });
    }

    @Override
    public void listMessages(AdminMessagesReq r, StreamObserver<SyncResp> out) {
        GrpcErrors.unary("ListMessages", out, () -> use.history().messages(r.getAppId(), r.getConversationId(),
                Paging.of(r.getLimit(), r.getOffset())));
    }

    @Override
    public void sendMessage(AdminSendReq r, StreamObserver<MessageItem> out) {
        GrpcErrors.unary("SendMessage", out, () -> use.messages().send(r.getAppId(), 0, r.getMessage()).join());
    }

    @Override
    public void broadcast(AdminBroadcastReq r, StreamObserver<AdminBroadcastResp> out) {
        GrpcErrors.unary("Broadcast", out, () -> AdminBroadcastResp.newBuilder().addAllMessages(use.system()
                .broadcast(r.getAppId(), r.getSenderId(), r.getUserIdsList(), r.getMessageBody(), r.getClientMsgId())
                .join()).build());
    }

    @Override
    public void createGroup(AdminGroupReq r, StreamObserver<AdminGroup> out) {
        GrpcErrors.unary("CreateGroup", out, () -> {
            var created = use.groups().create(r.getAppId(), r.getName(), r.getIntroduction(), r.getAvatar(),
                    r.getOwnerId(), r.getMemberIdsList()).join();
            return details(r.getAppId(), created.group().groupId());
        });
    }

    @Override
    public void getGroup(AdminGroupReq r, StreamObserver<AdminGroup> out) {
        GrpcErrors.unary("GetGroup", out, () -> details(r.getAppId(), r.getGroupId()));
    }

    @Override
    public void updateGroup(AdminGroupReq r, StreamObserver<AdminGroup> out) {
        // proto3 strings cannot be absent: an empty value keeps the current one
        GrpcErrors.unary("UpdateGroup", out, () -> group(use.groupAdmin().update(r.getAppId(), r.getGroupId(),
                emptyToNull(r.getName()), emptyToNull(r.getIntroduction()), emptyToNull(r.getAvatar()))).build());
    }

    @Override
    public void deleteGroup(AdminGroupReq r, StreamObserver<AdminDone> out) {
        GrpcErrors.unary("DeleteGroup", out, () -> {
            use.groupAdmin().delete(r.getAppId(), r.getGroupId());
            return done(true);
        });
    }

    @Override
    public void transferOwner(AdminGroupReq r, StreamObserver<AdminGroup> out) {
        GrpcErrors.unary("TransferOwner", out, () ->
                group(use.groupAdmin().transferOwner(r.getAppId(), r.getGroupId(), r.getOwnerId())).build());
    }

    @Override
    public void listMembers(AdminGroupReq r, StreamObserver<AdminGroup> out) {
        GrpcErrors.unary("ListMembers", out, () -> {
            var members = use.groupAdmin().members(r.getAppId(), r.getGroupId(), Paging.of(r.getLimit(), r.getOffset()));
            var g = group(use.groups().details(r.getAppId(), r.getGroupId()).group());
            members.forEach(m -> g.addMembers(member(m)));
            return g.build();
        });
    }

    @Override
    public void putMember(AdminGroupReq r, StreamObserver<AdminGroupMember> out) {
        GrpcErrors.unary("PutMember", out, () -> member(use.groups().putMember(r.getAppId(), r.getGroupId(),
                r.getUserId(), role(r.getRole()), emptyToNull(r.getLabel())).join()));
    }

    @Override
    public void removeMember(AdminGroupReq r, StreamObserver<AdminDone> out) {
        GrpcErrors.unary("RemoveMember", out, () -> {
            use.groups().removeMember(r.getAppId(), r.getGroupId(), r.getUserId()).join();
            return done(true);
        });
    }

    @Override
    public void putWebhook(AdminWebhook r, StreamObserver<AdminWebhook> out) {
        GrpcErrors.unary("PutWebhook", out, () -> webhook(use.webhooks().put(r.getAppId(), r.getUrl(), r.getSecret(),
                r.getEventsList(), r.getBeforeSend(), r.getBeforeSendTimeoutMs(), !r.getFailClosed())));
    }

    @Override
    public void getWebhook(AdminAppReq r, StreamObserver<AdminWebhook> out) {
        GrpcErrors.unary("GetWebhook", out, () -> webhook(use.webhooks().get(r.getAppId())));
    }

    @Override
    public void deleteWebhook(AdminAppReq r, StreamObserver<AdminDone> out) {
        GrpcErrors.unary("DeleteWebhook", out, () -> {
            use.webhooks().delete(r.getAppId());
            return done(true);
        });
    }

    @Override
    public void setAppRateLimits(AdminRateLimits r, StreamObserver<AdminRateLimits> out) {
        GrpcErrors.unary("SetAppRateLimits", out, () -> rateLimits(r.getAppId(), use.directory().setLimits(r.getAppId(),
                new AppLimits(r.getConnPerS(), r.getConnBurst(), r.getUserPerS(), r.getUserBurst()))));
    }

    @Override
    public void getAppRateLimits(AdminAppReq r, StreamObserver<AdminRateLimits> out) {
        GrpcErrors.unary("GetAppRateLimits", out, () -> {
            use.directory().app(r.getAppId());
            return rateLimits(r.getAppId(), use.directory().limitsOf(r.getAppId()));
        });
    }

    private static AdminRateLimits rateLimits(long appId, AppLimits l) {
        return AdminRateLimits.newBuilder().setAppId(appId).setConnPerS(l.connPerSecond()).setConnBurst(l.connBurst())
                .setUserPerS(l.userPerSecond()).setUserBurst(l.userBurst()).build();
    }

    private AdminApp app(App a) {
        return AdminApp.newBuilder().setAppId(a.appId()).setName(a.name()).setSecret(a.secret())
                .setCreatedAt(a.createdAt()).setUpdatedAt(a.updatedAt())
                .setDisabledAt(use.accounts().appDisabledAt(a.appId()))
                .setFriendsOnly(use.accounts().friendsOnly(a.appId()))
                .setMaxGroupMembers(use.groups().maxGroupMembers(a.appId())).build();
    }

    private static AdminUser user(User u) {
        return AdminUser.newBuilder().setAppId(u.appId()).setUserId(u.userId()).setNickname(u.nickname())
                .setAvatarUrl(u.avatarUrl()).setSex(u.sex()).setSign(u.sign()).setAccount(u.account())
                .setCreatedAt(u.createdAt()).setUpdatedAt(u.updatedAt()).build();
    }

    private AdminGroup details(long appId, long groupId) {
        var d = use.groups().details(appId, groupId);
        var g = group(d.group());
        d.members().forEach(m -> g.addMembers(member(m)));
        return g.build();
    }

    private static AdminGroup.Builder group(Group g) {
        return AdminGroup.newBuilder().setGroupId(g.groupId()).setAppId(g.appId()).setName(g.name())
                .setIntroduction(g.introduction()).setAvatar(g.avatar()).setOwnerId(g.ownerId())
                .setCreatedAt(g.createdAt());
    }

    private static AdminGroupMember member(GroupMember m) {
        return AdminGroupMember.newBuilder().setUserId(m.userId()).setRole(m.role().name().toLowerCase(Locale.ROOT))
                .setLabel(m.label()).setJoinedAt(m.joinedAt()).build();
    }

    private static AdminWebhook webhook(Webhook w) {
        return AdminWebhook.newBuilder().setAppId(w.appId()).setUrl(w.url()).setSecret(w.secret())
                .addAllEvents(w.events().stream().sorted().toList()).setBeforeSend(w.beforeSend())
                .setBeforeSendTimeoutMs(w.beforeSendTimeoutMs()).setFailClosed(!w.failOpen()).build();
    }

    private static AdminDone done(boolean done) {
        return AdminDone.newBuilder().setDone(done).build();
    }

    private static GroupRole role(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "" -> null;
            case "member" -> GroupRole.MEMBER;
            case "admin" -> GroupRole.ADMIN;
            default -> throw ImException.invalid("role: " + text + " (expected: member or admin)");
        };
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}

package io.imserver.messaging;

import io.imserver.auth.Identity;
import io.imserver.cluster.Presence;
import io.imserver.cluster.Push;
import io.imserver.protocol.CommandTypes;
import io.imserver.protocol.ErrorCode;
import io.imserver.protocol.ImException;
import io.imserver.protocol.Outputs;
import io.imserver.store.Examine;
import io.imserver.store.GroupMember;
import io.imserver.store.Store;
import io.imserver.store.StoreTx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import pb.AddExamine;
import pb.GetExamine;
import pb.GetExamineReq;
import pb.GetExamines;
import pb.ReadNumResp;
import pb.UpExamineReq;

/**
 * Requests ("examine"): to befriend a user (type 1) or to join a group (type 2). A new request is pushed as
 * {@code examine} to the user, or to the group's owner and admins; the decision is pushed as {@code examined} to the
 * requester. Accepting a friend request makes both friends; accepting a join request (by the group's owner or an
 * admin) adds the requester as a member, with the "members added" notice in the group's stream.
 */
public final class ExamineService {
    private final Store store;
    private final Presence presence;
    private final GroupManagementService groups;
    private final Clock clock;

    /** @param groups adds the requester of an accepted join request, with the notice in the group's stream */
    public ExamineService(Store store, Presence presence, GroupManagementService groups, Clock clock) {
        this.store = store;
        this.presence = presence;
        this.groups = groups;
        this.clock = clock;
    }

    /** A stored request and the users its push goes to. */
    private record Sent(GetExamine request, List<Long> recipients) {
    }

    /** {@code addexamine}: a new request (or new text for the caller's pending one); replies the stored request. */
    public CompletableFuture<GetExamine> add(Identity who, AddExamine req) {
        requireType(req.getType());
        DirectoryService.requirePositive("fid", req.getFid());
        if (req.getWay() < 0 || req.getWay() > 5) {
            throw ImException.invalid("way: " + req.getWay() + " (expected: 0-5)");
        }
        var remark = SocialTexts.require("remark", req.getRemark(), SocialTexts.MAX_REMARK);
        var text = SocialTexts.require("examinetext", req.getExaminetext(), SocialTexts.MAX_EXAMINE_TEXT);
        long app = who.appId();
        CompletableFuture<Sent> sent = store.write(tx -> {
            List<Long> recipients;
            if (req.getType() == Examine.FRIEND) {
                recipients = List.of(requireBefriendable(tx, who, req.getFid()));
            } else {
                GroupService.requireGroup(tx, app, req.getFid());
                if (tx.groups().member(req.getFid(), who.userId()).isPresent()) {
                    throw ImException.invalid("fid: " + req.getFid() + " (you are already a member of this group)");
                }
                recipients = tx.groups().members(req.getFid()).stream().filter(m -> m.role().canManage())
                        .map(GroupMember::userId).toList();
            }
            var stored = tx.social().putExamine(app, who.userId(), req.getType(), req.getFid(), remark, req.getWay(),
                    text, clock.millis());
            return new Sent(item(stored), recipients);
        }, s -> push(app, CommandTypes.PUSH_EXAMINE, s));
        return sent.thenApply(Sent::request);
    }

    /** The user the caller may ask to befriend: another existing user, not yet a friend, who has not blocked it. */
    private static long requireBefriendable(StoreTx tx, Identity who, long userId) {
        long app = who.appId();
        if (userId == who.userId()) {
            throw ImException.invalid("fid: " + userId + " (expected: another user than yourself)");
        }
        if (tx.users().find(app, userId).isEmpty()) {
            throw ImException.notFound("user " + userId + " does not exist in app " + app);
        }
        if (tx.social().areFriends(app, who.userId(), userId)) {
            throw ImException.invalid("fid: " + userId + " (already your friend)");
        }
        if (tx.social().blocks(app, userId, who.userId())) {
            throw new ImException(ErrorCode.BLOCKED, "user " + userId + " has blocked you");
        }
        return userId;
    }

    /**
     * {@code upexamine}: accepts (1) or refuses (2) the pending request of {@code user_id}: type 1 one addressed to
     * the caller, type 2 one to join group {@code fid}, which the caller owns or administers. Replies the decided
     * request.
     */
    public CompletableFuture<GetExamine> decide(Identity who, UpExamineReq req) {
        requireType(req.getType());
        DirectoryService.requirePositive("user_id", req.getUserId());
        if (req.getExamine() != Examine.ACCEPTED && req.getExamine() != Examine.REFUSED) {
            throw ImException.invalid("examine: " + req.getExamine() + " (expected: 1 accept or 2 refuse)");
        }
        long app = who.appId();
        if (req.getType() == Examine.FRIEND) {
            return store.write(tx -> {
                var pending = pending(tx, who, req, who.userId());
                if (req.getExamine() == Examine.ACCEPTED) {
                    tx.social().befriend(app, who.userId(), "", pending.requesterId(), pending.remark(), pending.way(),
                            clock.millis());
                }
                return decided(tx, pending, req.getExamine());
            }, s -> push(app, CommandTypes.PUSH_EXAMINED, s)).thenApply(Sent::request);
        }
        DirectoryService.requirePositive("fid", req.getFid());
        // checked first, then the member added as by addgroupusers (limit, notice in the group's stream), then the
        // decision stored
        CompletableFuture<Examine> checked = store.write(tx -> {
            GroupService.requireGroup(tx, app, req.getFid());
            var role = tx.groups().member(req.getFid(), who.userId()).map(GroupMember::role);
            if (role.isEmpty() || !role.get().canManage()) {
                throw ImException.forbidden("only the owner or an admin of group " + req.getFid()
                        + " decides its join requests");
            }
            return pending(tx, who, req, req.getFid());
        });
        return checked.thenCompose(pending -> (req.getExamine() == Examine.ACCEPTED
                        ? groups.addMembers(new GroupManagementService.Operator(app, who.userId()), req.getFid(),
                                List.of(pending.requesterId()))
                        : CompletableFuture.completedFuture(null))
                .thenCompose(added -> store.write(tx -> decided(tx, pending, req.getExamine()),
                        s -> push(app, CommandTypes.PUSH_EXAMINED, s))))
                .thenApply(Sent::request);
    }

    private static Examine pending(StoreTx tx, Identity who, UpExamineReq req, long target) {
        return tx.social().pendingExamine(who.appId(), req.getUserId(), req.getType(), target)
                .orElseThrow(() -> ImException.notFound("no pending request of user " + req.getUserId()
                        + (req.getType() == Examine.FRIEND ? " to you" : " to join group " + target)));
    }

    private Sent decided(StoreTx tx, Examine pending, int examine) {
        long now = clock.millis();
        tx.social().decideExamine(pending.id(), examine, now);
        var item = item(pending).toBuilder().setExamine(examine).setIsRead(1)
                .setExamineTime(SocialTexts.seconds(now)).build();
        return new Sent(item, List.of(pending.requesterId()));
    }

    /** {@code getexamine}: requests addressed to the caller, newest first; listing them marks them read. */
    public CompletableFuture<GetExamines> list(Identity who, GetExamineReq req) {
        var page = Paging.of(req.getLimit(), req.getOffset());
        var listed = store.read(tx -> tx.social().examinesFor(who.appId(), who.userId(), page.limit(), page.offset()));
        var resp = GetExamines.newBuilder();
        listed.forEach(e -> resp.addExamine(item(e)));
        if (listed.stream().allMatch(Examine::read)) {
            return CompletableFuture.completedFuture(resp.build());
        }
        return store.write(tx -> {
            tx.social().markExaminesRead(who.appId(), who.userId());
            return resp.build();
        });
    }

    /** {@code examinereadnum}: how many requests addressed to the caller it has not listed yet. */
    public ReadNumResp unread(Identity who) {
        return ReadNumResp.newBuilder()
                .setNum(store.read(tx -> tx.social().unreadExamines(who.appId(), who.userId()))).build();
    }

    private void push(long app, String type, Sent sent) {
        var pushes = new ArrayList<Push>(sent.recipients().size());
        for (long user : sent.recipients()) {
            pushes.add(new Push(app, user, 0, Outputs.ok(type, sent.request())));
        }
        presence.deliverAll(pushes);
    }

    static GetExamine item(Examine e) {
        return GetExamine.newBuilder().setId(e.id()).setFid(e.targetId()).setRemark(e.remark()).setWay(e.way())
                .setExaminetext(e.examinetext()).setType(e.type()).setUserId(e.requesterId()).setIsRead(e.read() ? 1 : 0)
                .setAvatarUrl(e.avatarUrl()).setNickname(e.nickname())
                .setExamineTime(SocialTexts.seconds(e.examine() == Examine.PENDING ? e.createdAt() : e.updatedAt()))
                .setExamine(e.examine()).build();
    }

    private static void requireType(int type) {
        if (type != Examine.FRIEND && type != Examine.JOIN_GROUP) {
            throw ImException.invalid("type: " + type + " (expected: 1 friend or 2 join group)");
        }
    }
}

package io.imserver.gateway;

import com.google.protobuf.MessageLite;
import io.imserver.protocol.CommandTypes;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import pb.AddConversationReq;
import pb.ConversationReq;
import pb.ConversationSettingReq;
import pb.CreateGroupReq;
import pb.DeleteMessageReq;
import pb.GroupReadReq;
import pb.OnlineReq;
import pb.RecallReq;
import pb.TypingReq;
import pb.GetUserGroupsReq;
import pb.GetUserInfoReq;
import pb.MessageRead;
import pb.SendMessage;
import pb.SyncReq;
import pb.AddExamine;
import pb.AddTrend;
import pb.AddTrendsComment;
import pb.BlockReq;
import pb.DeleteFriendReq;
import pb.FriendItem;
import pb.GetExamineReq;
import pb.GetFriendListReq;
import pb.GetTrendsReq;
import pb.Thumb;
import pb.UpExamineReq;
import io.imserver.messaging.GroupManagementService;
import io.imserver.messaging.Paging;
import pb.AddUserbyGroup;
import pb.DeleteGroupReq;
import pb.Group;
import pb.GroupMuteReq;
import pb.GroupUserReq;
import pb.GroupUserResp;
import pb.GroupUsersReq;

/** The commands a signed-in connection may send, each mapped onto its use case. */
final class CommandRegistry {

    /**
     * A command and how it runs: {@code blocking} ones read storage on the calling thread and run off the event
     * loop; the others only validate and queue a write (or touch memory), so they run on the event loop and keep
     * the order in which they arrived all the way into the writer's queue.
     */
    record Command(CommandHandler handler, boolean blocking) {
    }

    private final Map<String, Command> commands;

    private CommandRegistry(Map<String, Command> commands) {
        this.commands = Map.copyOf(commands);
    }

    Command find(String type) {
        return commands.get(type);
    }

    private static Command nonBlocking(CommandHandler handler) {
        return new Command(handler, false);
    }

    private static Command blocking(CommandHandler handler) {
        return new Command(handler, true);
    }

    static CommandRegistry of(GatewayServer.Services services) {
        var send = services.send();
        var conversations = services.conversations();
        var groups = services.groups();
        var directory = services.directory();
        var actions = services.actions();
        var presence = services.presenceQueries();
        var all = new java.util.HashMap<String, Command>(Map.ofEntries(
                Map.entry(CommandTypes.SEND_MESSAGE,
                        nonBlocking((who, data) -> send.send(who, SendMessage.parseFrom(data)))),
                Map.entry(CommandTypes.GET_CONVERSATION_LIST,
                        blocking((who, data) -> done(conversations.list(who, ConversationReq.parseFrom(data))))),
                Map.entry(CommandTypes.SYNC, blocking((who, data) -> conversations.sync(who, SyncReq.parseFrom(data)))),
                Map.entry(CommandTypes.MESSAGE_READ,
                        nonBlocking((who, data) -> noData(conversations.markRead(who, MessageRead.parseFrom(data))))),
                Map.entry(CommandTypes.ADD_CONVERSATION,
                        nonBlocking((who, data) -> conversations.add(who, AddConversationReq.parseFrom(data)))),
                Map.entry(CommandTypes.UP_CONVERSATION,
                        nonBlocking((who, data) -> noData(conversations.setTop(who, ConversationSettingReq.parseFrom(data))))),
                Map.entry(CommandTypes.DISTURB_CONVERSATION,
                        nonBlocking((who, data) -> noData(conversations.setDisturb(who, ConversationSettingReq.parseFrom(data))))),
                Map.entry(CommandTypes.CHAT_READ_NUM, blocking((who, data) -> done(conversations.totalUnread(who)))),
                Map.entry(CommandTypes.GET_USER_INFO,
                        blocking((who, data) -> done(directory.userInfo(who, GetUserInfoReq.parseFrom(data))))),
                Map.entry(CommandTypes.CREATE_GROUP,
                        nonBlocking((who, data) -> groups.create(who, CreateGroupReq.parseFrom(data)))),
                Map.entry(CommandTypes.GROUP_BY_USER,
                        blocking((who, data) -> done(groups.groupsOf(who, GetUserGroupsReq.parseFrom(data))))),
                Map.entry(CommandTypes.RECALL,
                        nonBlocking((who, data) -> actions.recall(who, RecallReq.parseFrom(data)))),
                Map.entry(CommandTypes.DELETE_MESSAGE,
                        nonBlocking((who, data) -> noData(actions.deleteForMe(who, DeleteMessageReq.parseFrom(data))))),
                Map.entry(CommandTypes.TYPING, blocking((who, data) -> {
                    presence.typing(who, TypingReq.parseFrom(data));
                    return done(null);
                })),
                Map.entry(CommandTypes.ONLINE,
                        blocking((who, data) -> done(presence.online(who, OnlineReq.parseFrom(data))))),
                Map.entry(CommandTypes.GROUP_READ_COUNT,
                        blocking((who, data) -> done(conversations.groupReadCounts(who, GroupReadReq.parseFrom(data)))))));
        all.putAll(socialCommands(services.social()));
        all.putAll(groupCommands(services.groupManagement()));
        return new CommandRegistry(all);
    }

    /** Friends, blocklist, requests ("examine") and moments ("circle"). */
    private static Map<String, Command> socialCommands(io.imserver.messaging.SocialServices social) {
        var friends = social.friends();
        var examines = social.examines();
        var moments = social.moments();
        return Map.ofEntries(
                Map.entry(CommandTypes.GET_FRIENDS,
                        blocking((who, data) -> done(friends.friends(who, GetFriendListReq.parseFrom(data))))),
                Map.entry(CommandTypes.SEARCH_FRIENDS,
                        blocking((who, data) -> done(friends.search(who, GetFriendListReq.parseFrom(data))))),
                Map.entry(CommandTypes.UP_REMARK_FRIEND,
                        nonBlocking((who, data) -> friends.setRemark(who, FriendItem.parseFrom(data)))),
                Map.entry(CommandTypes.DELETE_FRIEND,
                        nonBlocking((who, data) -> noData(friends.delete(who, DeleteFriendReq.parseFrom(data))))),
                Map.entry(CommandTypes.BLOCK, nonBlocking((who, data) -> noData(friends.block(who, BlockReq.parseFrom(data))))),
                Map.entry(CommandTypes.UNBLOCK,
                        nonBlocking((who, data) -> noData(friends.unblock(who, BlockReq.parseFrom(data))))),
                Map.entry(CommandTypes.GET_BLOCKS, blocking((who, data) -> done(friends.blocked(who)))),
                Map.entry(CommandTypes.ADD_EXAMINE,
                        nonBlocking((who, data) -> examines.add(who, AddExamine.parseFrom(data)))),
                Map.entry(CommandTypes.GET_EXAMINE,
                        blocking((who, data) -> examines.list(who, GetExamineReq.parseFrom(data)))),
                Map.entry(CommandTypes.UP_EXAMINE,
                        nonBlocking((who, data) -> examines.decide(who, UpExamineReq.parseFrom(data)))),
                Map.entry(CommandTypes.EXAMINE_READ_NUM, blocking((who, data) -> done(examines.unread(who)))),
                Map.entry(CommandTypes.ADD_TREND, nonBlocking((who, data) -> moments.add(who, AddTrend.parseFrom(data)))),
                Map.entry(CommandTypes.GET_TRENDS,
                        blocking((who, data) -> moments.list(who, GetTrendsReq.parseFrom(data)))),
                Map.entry(CommandTypes.THUMB, nonBlocking((who, data) -> noData(moments.thumb(who, Thumb.parseFrom(data))))),
                Map.entry(CommandTypes.ADD_TRENDS_COMMENT,
                        nonBlocking((who, data) -> moments.comment(who, AddTrendsComment.parseFrom(data)))),
                Map.entry(CommandTypes.TRENDS_READ_NUM, blocking((who, data) -> done(moments.unread(who)))));
    }

    /** Group management: each command's data and reply are described in docs/PROTOCOL.md. */
    private static Map<String, Command> groupCommands(GroupManagementService manage) {
        return Map.ofEntries(
                Map.entry(CommandTypes.UP_GROUP, nonBlocking((who, data) -> {
                    var g = Group.parseFrom(data);
                    return manage.update(op(who), g.getGroupId(), emptyKeeps(g.getName()),
                            emptyKeeps(g.getIntroduction()), emptyKeeps(g.getAvatar()));
                })),
                Map.entry(CommandTypes.DEL_GROUP, nonBlocking((who, data) ->
                        noData(manage.dissolve(op(who), DeleteGroupReq.parseFrom(data).getGroupId())))),
                Map.entry(CommandTypes.GET_GROUP_USERS, blocking((who, data) -> {
                    var r = GroupUserReq.parseFrom(data);
                    return done(GroupUserResp.newBuilder().addAllGroupUser(manage.members(op(who), r.getGroupId(),
                            r.getType(), Paging.of(r.getLimit(), r.getOffset()))).build());
                })),
                Map.entry(CommandTypes.ADD_GROUP_USERS, nonBlocking((who, data) -> {
                    var r = GroupUsersReq.parseFrom(data);
                    return manage.addMembers(op(who), r.getGroupId(), r.getUserIdsList()).thenApply(ids ->
                            GroupUsersReq.newBuilder().setGroupId(r.getGroupId()).addAllUserIds(ids).build());
                })),
                Map.entry(CommandTypes.REMOVE_GROUP_USERS, nonBlocking((who, data) -> {
                    var r = GroupUsersReq.parseFrom(data);
                    return manage.removeMembers(op(who), r.getGroupId(), r.getUserIdsList()).thenApply(ids ->
                            GroupUsersReq.newBuilder().setGroupId(r.getGroupId()).addAllUserIds(ids).build());
                })),
                Map.entry(CommandTypes.SET_GROUP_ROLE, nonBlocking((who, data) -> {
                    var r = AddUserbyGroup.parseFrom(data);
                    return manage.setRole(op(who), r.getGroupId(), r.getUserId(), r.getIstype());
                })),
                Map.entry(CommandTypes.TRANSFER_GROUP, nonBlocking((who, data) -> {
                    var r = AddUserbyGroup.parseFrom(data);
                    return manage.transferOwner(op(who), r.getGroupId(), r.getUserId());
                })),
                Map.entry(CommandTypes.SET_GROUP_LABEL, nonBlocking((who, data) -> {
                    var r = AddUserbyGroup.parseFrom(data);
                    return manage.setLabel(op(who), r.getGroupId(), r.getLabel());
                })),
                Map.entry(CommandTypes.MUTE_GROUP_USER, nonBlocking((who, data) -> {
                    var r = GroupMuteReq.parseFrom(data);
                    return manage.mute(op(who), r.getGroupId(), r.getUserId(), r.getDurationS());
                })),
                Map.entry(CommandTypes.MUTE_ALL, nonBlocking((who, data) -> {
                    var g = Group.parseFrom(data);
                    return manage.muteAll(op(who), g.getGroupId(), g.getBan());
                })),
                Map.entry(CommandTypes.SET_ANNOUNCEMENT, nonBlocking((who, data) -> {
                    var g = Group.parseFrom(data);
                    return manage.setAnnouncement(op(who), g.getGroupId(), g.getAnnouncement());
                })),
                Map.entry(CommandTypes.QUIT_GROUP, nonBlocking((who, data) ->
                        noData(manage.quit(op(who), DeleteGroupReq.parseFrom(data).getGroupId())))));
    }

    /** The signed-in caller as the operator of a group change: identity from sign only. */
    private static GroupManagementService.Operator op(io.imserver.auth.Identity who) {
        return new GroupManagementService.Operator(who.appId(), who.userId());
    }

    /** {@code upgroup}: an empty field keeps the group's current value (proto3 cannot tell unset from empty). */
    private static String emptyKeeps(String value) {
        return value.isEmpty() ? null : value;
    }

    private static <T extends MessageLite> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private static CompletableFuture<MessageLite> noData(CompletableFuture<Void> future) {
        return future.thenApply(v -> null);
    }
}

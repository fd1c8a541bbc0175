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
        return new CommandRegistry(Map.ofEntries(
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
    }

    private static <T extends MessageLite> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private static CompletableFuture<MessageLite> noData(CompletableFuture<Void> future) {
        return future.thenApply(v -> null);
    }
}

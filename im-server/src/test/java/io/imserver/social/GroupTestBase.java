package io.imserver.social;

import static io.imserver.testing.Chat.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.imserver.protocol.ErrorCode;
import io.imserver.testing.Chat;
import io.imserver.testing.ChatServerTestBase;
import io.imserver.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import pb.GroupNotice;
import pb.GroupUser;
import pb.GroupUserReq;
import pb.GroupUserResp;
import pb.GroupUsersReq;
import pb.MessageItem;
import pb.MessageType;
import pb.Output;

/** One real server per class with the app of {@link Chat}; steps of a client managing a group over WebSocket. */
abstract class GroupTestBase extends ChatServerTestBase {
    private final List<WsClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(WsClient::close);
        clients.clear();
    }

    /** The signed-in user of a client (ids are handed out in order by {@link Chat#newUser}). */
    static long id(WsClient client) {
        return USERS.get(client);
    }

    private static final java.util.Map<WsClient, Long> USERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** A new signed-in user, remembered with its id. */
    WsClient user() {
        long id = Chat.newUser(server);
        var client = Chat.signIn(server, id, 1);
        clients.add(client);
        USERS.put(client, id);
        return client;
    }

    /** A group owned by {@code owner} with these members, made by the admin API. */
    long group(WsClient owner, WsClient... members) {
        var ids = new ArrayList<Long>();
        for (var m : members) {
            ids.add(id(m));
        }
        return Chat.newGroup(server, id(owner), ids.toArray(Long[]::new));
    }

    static void assertRefused(Output reply, ErrorCode code) {
        assertThat(reply.getCode()).as("%s: %s", reply.getType(), reply.getMessage()).isEqualTo(code.code());
        assertThat(reply.getMessage()).isNotBlank();
    }

    /** The next {@code message} push must be a group notice of this event; returns its payload. */
    static GroupNotice awaitNotice(WsClient client, int event) {
        return noticeOf(Chat.pushed(client), event);
    }

    /** The system message's notice, checked to be of {@code event}. */
    static GroupNotice noticeOf(MessageItem m, int event) {
        assertThat(m.getSenderType()).isEqualTo(1);
        assertThat(m.getMessageBody().getMessageType()).isEqualTo(MessageType.MT_COMMAND);
        var command = m.getMessageBody().getMessageContent().getCommand();
        assertThat(command.getCode()).isEqualTo(event);
        try {
            var notice = GroupNotice.parseFrom(command.getData());
            assertThat(notice.getEvent()).isEqualTo(event);
            return notice;
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    static List<GroupUser> groupUsers(WsClient client, long group, int type) {
        return ok(client.request("getgroupusers", GroupUserReq.newBuilder().setGroupId(group).setType(type)
                .setLimit(100).build()), GroupUserResp.parser()).getGroupUserList();
    }

    static GroupUsersReq users(long group, WsClient... members) {
        var b = GroupUsersReq.newBuilder().setGroupId(group);
        for (var m : members) {
            b.addUserIds(id(m));
        }
        return b.build();
    }

    static Output request(WsClient client, String type, MessageLite data) {
        return client.request(type, data);
    }
}

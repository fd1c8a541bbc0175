package io.imserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.imserver.protocol.CommandTypes;
import io.imserver.testing.AdminClient;
import io.imserver.testing.Chat;
import io.imserver.testing.GrpcClient;
import io.imserver.testing.TestServer;
import io.imserver.testing.WsClient;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import pb.AddConversationReq;
import pb.AddExamine;
import pb.AddTrend;
import pb.AddTrendsComment;
import pb.AddUserbyGroup;
import pb.BlockReq;
import pb.AdminGrpc;
import pb.ConversationReq;
import pb.ConversationSettingReq;
import pb.CreateGroupReq;
import pb.DeleteFriendReq;
import pb.DeleteGroupReq;
import pb.DeleteMessageReq;
import pb.FriendItem;
import pb.GetExamine;
import pb.GetExamineReq;
import pb.GetFriendListReq;
import pb.GetTrendsReq;
import pb.GetUserGroupsReq;
import pb.GetUserInfoReq;
import pb.GreeterGrpc;
import pb.Group;
import pb.GroupMuteReq;
import pb.GroupReadReq;
import pb.GroupUserReq;
import pb.GroupUsersReq;
import pb.MessageRead;
import pb.OnlineReq;
import pb.OnlineResp;
import pb.Output;
import pb.RecallReq;
import pb.SendMessage;
import pb.SyncReq;
import pb.Thumb;
import pb.Trends;
import pb.TrendsComment;
import pb.TypingReq;
import pb.UpExamineReq;

/**
 * Every WebSocket command, admin HTTP route and gRPC method, tried by outsiders with the victims' real ids and their
 * neighbours: another user of the same app who is in none of the victims' conversations, and a user of another app.
 * Nothing the victims wrote may reach an outsider (every victim text and the group's name carry a marker that is
 * searched for in every byte an outsider receives), and nothing of the victims may change (their conversation lists,
 * histories, unread counts, groups and members are compared before and after).
 *
 * <p>The sets of commands, routes and methods come from the code itself ({@link CommandTypes}, the route patterns,
 * the gRPC service descriptor), so a new command without a case here fails {@link #everyCommand_isTriedByOutsiders}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessControlIT {
    private static final long APP = Chat.APP;
    private static final long OTHER_APP = 2;
    private static final int USER = Chat.USER;
    private static final int GROUP = Chat.GROUP;
    private static final String MARKER = "s3cret-" + UUID.randomUUID();

    private TestServer server;
    private AdminClient admin;
    private long alice;
    private long bob;
    private long mallory;
    private long eve;
    private long groupId;
    private long dave;
    private long trendId;
    private WsClient aliceWs;
    private WsClient bobWs;
    private WsClient malloryWs;
    private WsClient eveWs;
    private String malloryToken;
    private String eveToken;
    /** The victims' ids an attacker would try: conversations, messages, the group, the users, and their neighbours. */
    private final Set<Long> guessedIds = new TreeSet<>();
    /** The commands an attack was made with. */
    private final Set<String> tried = new LinkedHashSet<>();

    @BeforeAll
    void setUpVictims() {
        server = TestServer.start();
        admin = server.admin();
        Chat.setUp(server);
        admin.putApp(OTHER_APP, "another app");
        alice = Chat.newUser(server);
        bob = Chat.newUser(server);
        mallory = Chat.newUser(server);
        eve = Chat.newUser(server) + 10_000;
        admin.putUser(OTHER_APP, eve, "eve");
        // bob's twin: the same user id in the other app, so that ids alone never decide who is who
        admin.putUser(OTHER_APP, bob, "bob's twin");

        aliceWs = Chat.signIn(server, alice, 1);
        bobWs = Chat.signIn(server, bob, 1);
        groupId = admin.createGroup(APP, "team " + MARKER, alice, List.of(bob));
        var toBob = Chat.sendTo(aliceWs, bob, "for bob " + MARKER);
        var atBob = Chat.pushed(bobWs);
        var toAlice = Chat.sendTo(bobWs, alice, "for alice " + MARKER);
        Chat.pushed(aliceWs);
        var inGroup = Chat.sendToGroup(aliceWs, groupId, "for the team " + MARKER);
        Chat.pushed(bobWs);
        // friends with private remarks, pending requests (friend and join), a blocklist, a post with a like and a comment
        long carol = Chat.newUser(server);
        long troll = Chat.newUser(server);
        dave = Chat.newUser(server);
        var request = Chat.ok(aliceWs.request(CommandTypes.ADD_EXAMINE, AddExamine.newBuilder().setType(1).setFid(bob)
                .setExaminetext("hi " + MARKER).setRemark("bobby " + MARKER).build()), GetExamine.parser());
        Chat.ok(bobWs.request(CommandTypes.UP_EXAMINE, UpExamineReq.newBuilder().setType(1).setUserId(alice)
                .setExamine(1).build()));
        Chat.ok(aliceWs.request(CommandTypes.UP_REMARK_FRIEND, FriendItem.newBuilder().setFId(bob)
                .setRemark("my bob " + MARKER).build()));
        var pending = Chat.ok(aliceWs.request(CommandTypes.ADD_EXAMINE, AddExamine.newBuilder().setType(1).setFid(carol)
                .setExaminetext("still waiting " + MARKER).build()), GetExamine.parser());
        GetExamine join;
        try (var daveWs = Chat.signIn(server, dave, 1)) {
            join = Chat.ok(daveWs.request(CommandTypes.ADD_EXAMINE, AddExamine.newBuilder().setType(2).setFid(groupId)
                    .setExaminetext("let me in " + MARKER).build()), GetExamine.parser());
        }
        Chat.ok(aliceWs.request(CommandTypes.BLOCK, BlockReq.newBuilder().setUserId(troll).build()));
        var trend = Chat.ok(aliceWs.request(CommandTypes.ADD_TREND, AddTrend.newBuilder()
                .setWriting("my holiday " + MARKER).build()), Trends.parser());
        trendId = trend.getId();
        Chat.ok(bobWs.request(CommandTypes.THUMB, Thumb.newBuilder().setTrendsId(trendId).build()));
        var comment = Chat.ok(bobWs.request(CommandTypes.ADD_TRENDS_COMMENT, AddTrendsComment.newBuilder()
                .setTrendsId(trendId).setIstype(1).setWriting("nice " + MARKER).build()), TrendsComment.parser());
        for (var victim : List.of(aliceWs, bobWs)) { // listing marks requests and reactions read: do it once here
            Chat.ok(victim.request(CommandTypes.GET_EXAMINE, GetExamineReq.newBuilder().setLimit(100).build()));
            Chat.ok(victim.request(CommandTypes.GET_TRENDS, GetTrendsReq.newBuilder().setLimit(50).build()));
        }
        for (long id : List.of(request.getId(), pending.getId(), join.getId(), trendId, comment.getId(), carol,
                troll, dave)) {
            guessedIds.addAll(List.of(id - 1, id, id + 1));
        }
        for (long id : List.of(alice, bob, groupId, toBob.getId(), toBob.getConversationId(), atBob.getId(),
                atBob.getConversationId(), toAlice.getId(), toAlice.getConversationId(), inGroup.getId(),
                inGroup.getConversationId(), Chat.conversationWith(bobWs, GROUP, groupId).getId())) {
            guessedIds.addAll(List.of(id - 1, id, id + 1));
        }
        guessedIds.remove(mallory); // her own id is no guess

        malloryToken = admin.token(APP, mallory, 1, 3600);
        malloryWs = WsClient.connect(server.wsUrl());
        malloryWs.sign(APP, mallory, 1, malloryToken);
        eveToken = admin.token(OTHER_APP, eve, 1, 3600);
        eveWs = WsClient.connect(server.wsUrl());
        eveWs.sign(OTHER_APP, eve, 1, eveToken);
    }

    @AfterAll
    void stop() {
        for (var ws : List.of(aliceWs, bobWs, malloryWs, eveWs)) {
            ws.close();
        }
        server.close();
    }

    /** What an outsider may legitimately get: 200 (own data only) or any refusal; {@code REFUSED}: never 200. */
    private enum Expect { ANY, REFUSED }

    private record Attack(String command, MessageLite request, Expect expect) {
    }

    private static SendMessage text(int receiverType, long receiverId) {
        return Chat.text(receiverType, receiverId, "from an outsider");
    }

    /**
     * The attacks on the victims by {@code outsider}. Mallory (same app) may legitimately message alice and bob 1:1,
     * show them typing, ask them for friendship or to join their group, so those are left out of her list; eve (other
     * app) is refused or reaches only her own app's users (bob's twin) with everything.
     */
    private List<Attack> attacks(boolean sameApp) {
        var attacks = new ArrayList<Attack>();
        LongFunction<List<Attack>> byId = id -> {
            var list = new ArrayList<Attack>();
            list.add(new Attack(CommandTypes.SEND_MESSAGE, text(GROUP, id), Expect.REFUSED));
            list.add(new Attack(CommandTypes.SYNC, SyncReq.newBuilder().setConversationId(id).setReceiverType(USER)
                    .setLimit(50).build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.SYNC, SyncReq.newBuilder().setConversationId(id).setReceiverType(GROUP)
                    .setAfterSeq(0).setLimit(50).build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.MESSAGE_READ, MessageRead.newBuilder().setMessageId(id).build(),
                    Expect.REFUSED));
            list.add(new Attack(CommandTypes.ADD_CONVERSATION, AddConversationReq.newBuilder().setUserId(id)
                    .setType(GROUP).build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.UP_CONVERSATION, ConversationSettingReq.newBuilder().setConversationId(id)
                    .setTop(1).build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.DISTURB_CONVERSATION, ConversationSettingReq.newBuilder()
                    .setConversationId(id).setDisturb(1).build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.RECALL, RecallReq.newBuilder().setMessageId(id).build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.DELETE_MESSAGE, DeleteMessageReq.newBuilder().setMessageId(id).build(),
                    Expect.REFUSED));
            list.add(new Attack(CommandTypes.TYPING, TypingReq.newBuilder().setReceiverType(GROUP).setReceiverId(id)
                    .build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.GROUP_READ_COUNT, GroupReadReq.newBuilder().setConversationId(id)
                    .addSeqs(1).addSeqs(2).build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.GET_USER_INFO, GetUserInfoReq.newBuilder().setUserId(id).build(),
                    Expect.ANY));
            list.add(new Attack(CommandTypes.UP_REMARK_FRIEND, FriendItem.newBuilder().setFId(id).setRemark("mine")
                    .build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.DELETE_FRIEND, DeleteFriendReq.newBuilder().setUserId(id).setFId(id)
                    .build(), Expect.REFUSED));
            for (int type = 1; type <= 2; type++) {
                list.add(new Attack(CommandTypes.UP_EXAMINE, UpExamineReq.newBuilder().setType(type).setFid(id)
                        .setUserId(id).setExamine(1).build(), Expect.REFUSED));
                list.add(new Attack(CommandTypes.UP_EXAMINE, UpExamineReq.newBuilder().setType(type).setFid(groupId)
                        .setUserId(id).setExamine(2).build(), Expect.REFUSED));
            }
            list.add(new Attack(CommandTypes.UP_EXAMINE, UpExamineReq.newBuilder().setType(2).setFid(id)
                    .setUserId(dave).setExamine(1).build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.ADD_TREND, AddTrend.newBuilder().setWriting("for you")
                    .setToUserIds(Long.toString(id)).build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.THUMB, Thumb.newBuilder().setTrendsId(id).build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.ADD_TRENDS_COMMENT, AddTrendsComment.newBuilder().setTrendsId(id)
                    .setIstype(1).setWriting("me too").build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.ADD_TRENDS_COMMENT, AddTrendsComment.newBuilder().setTrendsId(trendId)
                    .setIstype(2).setCommentId(id).setWriting("me too").build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.UP_GROUP, Group.newBuilder().setGroupId(id).setName("pwned").build(),
                    Expect.REFUSED));
            list.add(new Attack(CommandTypes.DEL_GROUP, DeleteGroupReq.newBuilder().setGroupId(id).build(),
                    Expect.REFUSED));
            list.add(new Attack(CommandTypes.QUIT_GROUP, DeleteGroupReq.newBuilder().setGroupId(id).build(),
                    Expect.REFUSED));
            list.add(new Attack(CommandTypes.GET_GROUP_USERS, GroupUserReq.newBuilder().setGroupId(id).setLimit(100)
                    .build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.ADD_GROUP_USERS, GroupUsersReq.newBuilder().setGroupId(id)
                    .addUserIds(sameApp ? mallory : eve).build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.REMOVE_GROUP_USERS, GroupUsersReq.newBuilder().setGroupId(groupId)
                    .addUserIds(id).build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.SET_GROUP_ROLE, AddUserbyGroup.newBuilder().setGroupId(groupId)
                    .setUserId(id).setIstype(2).build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.TRANSFER_GROUP, AddUserbyGroup.newBuilder().setGroupId(id)
                    .setUserId(sameApp ? mallory : eve).build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.SET_GROUP_LABEL, AddUserbyGroup.newBuilder().setGroupId(id)
                    .setLabel("boss").build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.MUTE_GROUP_USER, GroupMuteReq.newBuilder().setGroupId(groupId)
                    .setUserId(id).setDurationS(-1).build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.MUTE_ALL, Group.newBuilder().setGroupId(id).setBan(1).build(),
                    Expect.REFUSED));
            list.add(new Attack(CommandTypes.SET_ANNOUNCEMENT, Group.newBuilder().setGroupId(id)
                    .setAnnouncement("pwned").build(), Expect.REFUSED));
            list.add(new Attack(CommandTypes.GET_FRIENDS, GetFriendListReq.newBuilder().setUserId(id).setAppId(APP)
                    .build(), Expect.ANY));
            list.add(new Attack(CommandTypes.BLOCK, BlockReq.newBuilder().setUserId(id).build(), Expect.ANY));
            list.add(new Attack(CommandTypes.UNBLOCK, BlockReq.newBuilder().setUserId(id).build(), Expect.ANY));
            if (!sameApp) {
                list.add(new Attack(CommandTypes.ADD_EXAMINE, AddExamine.newBuilder().setType(1).setFid(id)
                        .setExaminetext("hello").build(), Expect.ANY));
                list.add(new Attack(CommandTypes.ADD_EXAMINE, AddExamine.newBuilder().setType(2).setFid(id)
                        .setExaminetext("hello").build(), Expect.ANY));
                list.add(new Attack(CommandTypes.SEND_MESSAGE, text(USER, id), Expect.ANY));
                list.add(new Attack(CommandTypes.ADD_CONVERSATION, AddConversationReq.newBuilder().setUserId(id)
                        .setType(USER).build(), Expect.ANY));
                list.add(new Attack(CommandTypes.TYPING, TypingReq.newBuilder().setReceiverType(USER)
                        .setReceiverId(id).build(), Expect.ANY));
                list.add(new Attack(CommandTypes.CREATE_GROUP, CreateGroupReq.newBuilder().setGroup(Group.newBuilder()
                        .setName("eve's").setUserIds(Long.toString(id))).build(), Expect.ANY));
            }
            return list;
        };
        for (long id : guessedIds) {
            attacks.addAll(byId.apply(id));
        }
        attacks.add(new Attack(CommandTypes.GET_CONVERSATION_LIST, ConversationReq.newBuilder().setLimit(100).build(),
                Expect.ANY));
        attacks.add(new Attack(CommandTypes.GET_CONVERSATION_LIST, ConversationReq.newBuilder().setSinceVersion(0)
                .setLimit(100).build(), Expect.ANY));
        attacks.add(new Attack(CommandTypes.CHAT_READ_NUM, null, Expect.ANY));
        for (int type = 0; type <= 2; type++) {
            attacks.add(new Attack(CommandTypes.GROUP_BY_USER, GetUserGroupsReq.newBuilder().setType(type).build(),
                    Expect.ANY));
        }
        attacks.add(new Attack(CommandTypes.ONLINE, OnlineReq.newBuilder().addUserIds(alice).addUserIds(bob).build(),
                Expect.ANY));
        attacks.add(new Attack(CommandTypes.CREATE_GROUP, CreateGroupReq.newBuilder()
                .setGroup(Group.newBuilder().setName("own group")).build(), Expect.ANY));
        attacks.add(new Attack(CommandTypes.HEARTBEAT, null, Expect.ANY));
        attacks.add(new Attack(CommandTypes.SEARCH_FRIENDS, GetFriendListReq.newBuilder().setKeyword("s3cret")
                .setUserId(alice).build(), Expect.ANY));
        attacks.add(new Attack(CommandTypes.SEARCH_FRIENDS, GetFriendListReq.newBuilder().setKeyword("bob").build(),
                Expect.ANY));
        attacks.add(new Attack(CommandTypes.GET_EXAMINE, GetExamineReq.newBuilder().setLimit(100).build(), Expect.ANY));
        attacks.add(new Attack(CommandTypes.EXAMINE_READ_NUM, null, Expect.ANY));
        attacks.add(new Attack(CommandTypes.GET_TRENDS, GetTrendsReq.newBuilder().setLimit(50).build(), Expect.ANY));
        attacks.add(new Attack(CommandTypes.TRENDS_READ_NUM, null, Expect.ANY));
        attacks.add(new Attack(CommandTypes.GET_BLOCKS, null, Expect.ANY));
        attacks.add(new Attack(CommandTypes.ADD_TREND, AddTrend.newBuilder().setWriting("my own post").build(),
                Expect.ANY));
        return attacks;
    }

    @Test
    void everyCommand_isTriedByOutsiders_andNothingOfTheVictimsIsReadOrChanged() {
        var before = victimsState();

        int requests = 0;
        for (var outsider : List.of(malloryWs, eveWs)) {
            boolean sameApp = outsider == malloryWs;
            for (var attack : attacks(sameApp)) {
                tried.add(attack.command());
                requests++;
                var reply = outsider.request(attack.command(), attack.request());
                assertNoMarker(reply, attack);
                if (attack.expect() == Expect.REFUSED) {
                    assertThat(reply.getCode()).as("%s %s by %s: %s", attack.command(), attack.request(),
                            sameApp ? "mallory" : "eve", reply.getMessage()).isNotEqualTo(200);
                }
            }
            // a later frame naming a victim in auth is refused, whatever the command
            var impersonation = outsider.request(CommandTypes.SYNC, SyncReq.newBuilder().setLimit(10).build(),
                    WsClient.auth(APP, alice, 1, sameApp ? malloryToken : eveToken));
            assertThat(impersonation.getCode()).isEqualTo(409);
            // sign again, as a victim with the outsider's own token: refused, and the connection stays the outsider
            var resign = outsider.request(CommandTypes.SIGN, null,
                    WsClient.auth(APP, alice, 1, sameApp ? malloryToken : eveToken));
            assertThat(resign.getCode()).isNotEqualTo(200);
            tried.add(CommandTypes.SIGN);
        }

        var eveAsksOnline = WsClient.parse(Chat.ok(eveWs.request(CommandTypes.ONLINE,
                OnlineReq.newBuilder().addUserIds(alice).addUserIds(bob).build())), OnlineResp.parser());
        assertThat(eveAsksOnline.getOnlineUserIdsList()).as("another app's online users are not eve's to see")
                .isEmpty();
        drainAndCheck(malloryWs);
        drainAndCheck(eveWs);
        assertThat(victimsState()).as("the victims' conversations, histories, unread counts and groups").isEqualTo(before);
        System.out.printf("access control: %d requests of %d commands by outsiders, none read or changed anything%n",
                requests, tried.size());
    }

    @Test
    void everyCommand_isTriedByOutsiders() {
        var all = new TreeSet<String>();
        for (var field : CommandTypes.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && !field.getName().startsWith("PUSH_") && !field.getName().equals("ERROR")) {
                try {
                    all.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        var covered = new TreeSet<String>();
        attacks(true).forEach(a -> covered.add(a.command()));
        attacks(false).forEach(a -> covered.add(a.command()));
        covered.add(CommandTypes.SIGN);
        assertThat(covered).as("commands with an outsider case in this test").containsAll(all);
    }

    @Test
    void adminHttp_everyRouteAndMethod_refusesCallersWithoutTheAdminToken() {
        var before = victimsState();
        var paths = adminPaths();
        assertThat(paths).hasSizeGreaterThanOrEqualTo(15);
        var body = Map.of("name", "pwned", "nickname", "pwned", "owner_id", mallory, "user_ids", List.of(mallory),
                "role", "owner", "text", "pwned", "url", "http://127.0.0.1:1/", "secret", "x".repeat(20));
        var wrongTokens = new ArrayList<String>();
        wrongTokens.add(null);
        wrongTokens.add("");
        wrongTokens.add(TestServer.ADMIN_TOKEN + "x");
        wrongTokens.add(TestServer.ADMIN_TOKEN.substring(0, TestServer.ADMIN_TOKEN.length() - 1));
        wrongTokens.add(TestServer.ADMIN_TOKEN.toUpperCase());
        wrongTokens.add(malloryToken);
        int calls = 0;
        for (var path : paths) {
            for (var method : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
                for (var token : wrongTokens) {
                    var reply = admin.call(method, path, body, token);
                    assertThat(reply.status()).as("%s %s with %s", method, path, token).isEqualTo(401);
                    assertThat(reply.text()).doesNotContain(MARKER);
                    calls++;
                }
            }
        }
        assertThat(calls).isEqualTo(paths.size() * 5 * wrongTokens.size());
        System.out.printf("access control: %d admin HTTP calls on %d routes without the admin token: all 401%n", calls,
                paths.size());
        // the endpoints without auth give away no secret
        for (var open : List.of("/healthz", "/metrics")) {
            var reply = admin.call("GET", open, null, null);
            assertThat(reply.text()).doesNotContain(MARKER).doesNotContain(TestServer.ADMIN_TOKEN)
                    .doesNotContain(malloryToken);
        }
        assertThat(victimsState()).isEqualTo(before);
    }

    @Test
    void adminGrpc_everyMethod_refusesCallersWithoutTheAdminToken() {
        var before = victimsState();
        var methods = AdminGrpc.getServiceDescriptor().getMethods();
        assertThat(methods).hasSizeGreaterThanOrEqualTo(20);
        try (var grpc = new GrpcClient(server.grpcPort())) {
            for (var method : methods) {
                var request = hostileRequest(method);
                for (var authorization : new String[] {null, "Bearer " + TestServer.ADMIN_TOKEN + "x", "Bearer ",
                        "Bearer " + malloryToken, TestServer.ADMIN_TOKEN}) {
                    var channel = authorization == null ? grpc.channel()
                            : io.grpc.ClientInterceptors.intercept(grpc.channel(), headers(authorization));
                    @SuppressWarnings("unchecked")
                    var typed = (MethodDescriptor<Message, Message>) method;
                    try {
                        ClientCalls.blockingUnaryCall(channel, typed,
                                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
                        throw new AssertionError(method.getFullMethodName() + " answered without the admin token");
                    } catch (StatusRuntimeException e) {
                        assertThat(e.getStatus().getCode()).as(method.getFullMethodName())
                                .isEqualTo(Status.Code.UNAUTHENTICATED);
                    }
                }
            }
        }
        assertThat(victimsState()).isEqualTo(before);
    }

    @Test
    void greeter_outsidersCannotWriteIntoAGroupTheyAreNotIn_norActForAnotherApp() {
        var before = victimsState();
        try (var grpc = new GrpcClient(server.grpcPort())) {
            var asMallory = GrpcClient.with(GreeterGrpc.newBlockingStub(grpc.channel()), Map.of("app_id",
                    Long.toString(APP), "user_id", Long.toString(mallory), "device_id", "1", "token", malloryToken));
            for (int senderType : new int[] {1, 2}) {
                for (long id : guessedIds) {
                    var reply = asMallory.systemMsgByConversation(text(GROUP, id).toBuilder()
                            .setSenderType(senderType).setSenderId(alice).build());
                    assertThat(reply.getErrCode()).as("sender_type %d into group %d: %s", senderType, id,
                            reply.getErrMsg()).isNotEqualTo(200);
                    assertThat(reply.getErrMsg()).doesNotContain(MARKER);
                }
            }
            // eve's token names her app: presenting it for app 1, or as alice, is refused
            for (var headers : List.of(
                    Map.of("app_id", Long.toString(APP), "user_id", Long.toString(eve), "device_id", "1", "token",
                            eveToken),
                    Map.of("app_id", Long.toString(APP), "user_id", Long.toString(alice), "device_id", "1", "token",
                            eveToken))) {
                var reply = GrpcClient.with(GreeterGrpc.newBlockingStub(grpc.channel()), headers)
                        .systemMsgByConversation(text(USER, bob).toBuilder().setSenderType(2).build());
                assertThat(reply.getErrCode()).isEqualTo(401);
            }
        }
        assertThat(victimsState()).isEqualTo(before);
    }

    /** A request of the method's type with every app/user/group/message id field set to a victim's. */
    private Message hostileRequest(MethodDescriptor<?, ?> method) {
        var prototype = (Message) ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller())
                .getMessagePrototype();
        var builder = prototype.newBuilderForType();
        for (var field : builder.getDescriptorForType().getFields()) {
            if (field.isRepeated() || field.getJavaType() != FieldDescriptor.JavaType.LONG) {
                continue;
            }
            long value = switch (field.getName()) {
                case "app_id" -> APP;
                case "user_id", "owner_id", "sender_id" -> alice;
                case "group_id" -> groupId;
                default -> bob;
            };
            builder.setField(field, value);
        }
        return builder.build();
    }

    private static io.grpc.ClientInterceptor headers(String authorization) {
        var metadata = new io.grpc.Metadata();
        metadata.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER), authorization);
        return io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(metadata);
    }

    /** One concrete path per route pattern of the admin API, with the victims' ids in it. */
    private List<String> adminPaths() {
        var paths = new ArrayList<String>();
        for (var className : List.of("io.imserver.api.AdminRoutes", "io.imserver.api.BusinessRoutes")) {
            try {
                for (var field : Class.forName(className).getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers()) && field.getType() == Pattern.class) {
                        field.setAccessible(true);
                        var regex = ((Pattern) field.get(null)).pattern();
                        var ids = new long[] {APP, groupId, alice};
                        var path = regex;
                        for (int i = 0; path.contains("(\\d+)"); i++) {
                            path = path.replaceFirst(Pattern.quote("(\\d+)"), Long.toString(ids[Math.min(i, 2)]));
                        }
                        path = path.replaceAll("\\(([a-z-]+)\\|[^)]*\\)", "$1");
                        assertThat(path).as("a concrete path for %s", regex).matches("[a-z0-9/_-]+");
                        paths.add(path);
                    }
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("cannot read the routes of " + className, e);
            }
        }
        return paths;
    }

    private void assertNoMarker(Output reply, Attack attack) {
        assertThat(contains(reply.toByteString(), MARKER)).as("%s %s leaked a victim's data: %s", attack.command(),
                attack.request(), reply).isFalse();
    }

    /** Every push the outsider got meanwhile: none may carry a victim's data. */
    private void drainAndCheck(WsClient outsider) {
        Output out;
        while ((out = outsider.next(Duration.ofMillis(300))) != null) {
            assertThat(contains(out.toByteString(), MARKER)).as("push %s", out).isFalse();
        }
    }

    private static boolean contains(ByteString bytes, String marker) {
        return new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1).contains(marker);
    }

    /** Everything the victims can see of their data, through their own connections, without marking anything read. */
    private Map<String, String> victimsState() {
        var state = new LinkedHashMap<String, String>();
        for (var victim : Map.of("alice", aliceWs, "bob", bobWs).entrySet()) {
            var ws = victim.getValue();
            var list = Chat.list(ws);
            state.put(victim.getKey() + " list", list.getConversationList().toString());
            for (var c : list.getConversationList()) {
                state.put(victim.getKey() + " history " + c.getId(), Chat.history(ws, c.getId()).toString());
            }
            state.put(victim.getKey() + " unread", Chat.ok(ws.request(CommandTypes.CHAT_READ_NUM, null)).getData()
                    .toStringUtf8());
            state.put(victim.getKey() + " groups", Chat.ok(ws.request(CommandTypes.GROUP_BY_USER,
                    GetUserGroupsReq.getDefaultInstance())).getData().toStringUtf8());
            for (var query : List.of(CommandTypes.GET_FRIENDS, CommandTypes.GET_BLOCKS, CommandTypes.GET_EXAMINE,
                    CommandTypes.EXAMINE_READ_NUM, CommandTypes.GET_TRENDS, CommandTypes.TRENDS_READ_NUM)) {
                state.put(victim.getKey() + " " + query, Chat.ok(ws.request(query, null)).getData().toStringUtf8());
            }
        }
        state.put("members", Chat.ok(aliceWs.request(CommandTypes.GET_GROUP_USERS, GroupUserReq.newBuilder()
                .setGroupId(groupId).setLimit(100).build())).getData().toStringUtf8());
        state.put("group", admin.call("GET", "/api/v1/apps/" + APP + "/groups/" + groupId, null).text());
        return state;
    }
}

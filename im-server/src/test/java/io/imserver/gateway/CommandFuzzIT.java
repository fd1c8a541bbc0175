package io.imserver.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.imserver.protocol.CommandTypes;
import io.imserver.protocol.ErrorCode;
import io.imserver.testing.Chat;
import io.imserver.testing.TestServer;
import io.imserver.testing.WsClient;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import pb.AddConversationReq;
import pb.Auth;
import pb.ConversationReq;
import pb.ConversationSettingReq;
import pb.CreateGroupReq;
import pb.DeleteMessageReq;
import pb.GetUserGroupsReq;
import pb.GetUserInfoReq;
import pb.GroupReadReq;
import pb.Input;
import pb.MessageRead;
import pb.OnlineReq;
import pb.Output;
import pb.RecallReq;
import pb.SendMessage;
import pb.SyncReq;
import pb.TypingReq;

/**
 * A signed-in attacker sends every command type (and unknown ones) with random, foreign and mutated {@code data},
 * extreme ids, limits and offsets, and whole mutated frames, in pipelined batches. Every frame must get exactly one
 * reply of its type with a documented code other than 500, and no reply may show a stack trace or an exception
 * class; meanwhile a canary pair of another app keeps chatting. jqwik prints the seed; a failure is replayed with
 * {@code @Property(seed = "...")} (shrinking is off: the server's state makes a shrunk run a different run).
 */
class CommandFuzzIT {
    private static final long APP = 1;
    private static final long ATTACKER = 100;
    private static final long VICTIM = 101;
    private static final long CANARY_APP = 2;
    /** The canary pair chats once per this many fuzz frames. */
    private static final int CANARY_EVERY = 50;
    private static final Set<String> PUSHES = Set.of(CommandTypes.PUSH_MESSAGE, CommandTypes.PUSH_RECALL,
            CommandTypes.PUSH_READ_SYNC, CommandTypes.PUSH_RECEIPT, CommandTypes.PUSH_TYPING, CommandTypes.PUSH_KICK,
            CommandTypes.PUSH_EXAMINE, CommandTypes.PUSH_EXAMINED);
    /** Codes a reply to bad input may carry: the documented ones, but never 500. */
    private static final Set<Integer> ALLOWED_CODES = Stream.of(ErrorCode.values())
            .filter(c -> c != ErrorCode.INTERNAL_ERROR).map(ErrorCode::code).collect(Collectors.toSet());

    private static TestServer server;
    private static WsClient attacker;
    private static WsClient canarySender;
    private static WsClient canaryReceiver;
    private static final AtomicInteger framesSent = new AtomicInteger();
    private static final AtomicInteger canaryMessages = new AtomicInteger();
    private static final Map<String, Integer> repliesByTypeAndCode = new TreeMap<>();
    private static int framesAtLastCanary;
    private static boolean failed;

    @BeforeContainer
    static void start() {
        // the attacker's frames must all reach validation: no rate limit (TestServer's), and its many violations
        // never close it (RateLimitIT and ConnectionLimitsIT test those)
        server = TestServer.start(b -> b.limits(l -> l.withViolations(Integer.MAX_VALUE, Duration.ofSeconds(1))));
        var admin = server.admin();
        admin.putApp(APP, "fuzzed");
        admin.putUser(APP, ATTACKER, "attacker");
        admin.putUser(APP, VICTIM, "victim");
        admin.putApp(CANARY_APP, "canary");
        admin.putUser(CANARY_APP, 1, "canary one");
        admin.putUser(CANARY_APP, 2, "canary two");
        attacker = server.signIn(APP, ATTACKER, 1);
        canarySender = server.signIn(CANARY_APP, 1, 1);
        canaryReceiver = server.signIn(CANARY_APP, 2, 1);
    }

    @AfterContainer
    static void stop() {
        System.out.printf("CommandFuzzIT: %d fuzz frames sent, %d canary messages delivered; replies by type/code: %s%n",
                framesSent.get(), canaryMessages.get(), repliesByTypeAndCode);
        Stream.of(attacker, canarySender, canaryReceiver).forEach(c -> {
            if (c != null) {
                c.close();
            }
        });
        if (server != null) {
            server.close();
        }
    }

    // edge cases off: jqwik's would pile onto the first and last command and a foreign auth; the generators below
    // bring their own extremes
    @Property(tries = 300, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void everyFuzzedFrame_getsExactlyOneDocumentedReplyOfItsType_andTheCanaryKeepsChatting(
            @ForAll("batches") List<byte[]> batch) {
        failed = true; // until this try passes: then the checks afterwards would only hide its failure
        for (var frame : batch) {
            attacker.sendRaw(frame);
        }
        framesSent.addAndGet(batch.size());
        // the canary chats while the attacker's batch is being worked on
        if (framesSent.get() - framesAtLastCanary >= CANARY_EVERY) {
            framesAtLastCanary = framesSent.get();
            canaryChats();
        }
        var outstanding = new ArrayList<Expected>();
        for (var frame : batch) {
            outstanding.add(Expected.of(frame));
        }
        // replies of one connection leave in request order, but 422 (codec), 409 (identity) and heartbeat are
        // answered at once, ahead of queued ones: match each reply to the oldest unanswered frame of its type that
        // expects exactly that code, else to the oldest one of its type
        while (!outstanding.isEmpty()) {
            var reply = attacker.next(WsClient.TIMEOUT);
            assertThat(reply).as("a reply to each of %s within %s (connection closed: %s)", outstanding,
                    WsClient.TIMEOUT, attacker.isClosed()).isNotNull();
            if (PUSHES.contains(reply.getType())) {
                continue; // the attacker may message itself or its own groups
            }
            var ofType = outstanding.stream().filter(e -> e.type.equals(reply.getType())).toList();
            assertThat(ofType).as("a reply nobody asked for, or a second one: %s", reply).isNotEmpty();
            var match = ofType.stream().filter(e -> e.exactCode != null && e.exactCode == reply.getCode()).findFirst()
                    .or(() -> ofType.stream().filter(e -> e.exactCode == null).findFirst())
                    .orElse(ofType.get(0));
            outstanding.remove(match);
            checkReply(match, reply);
        }
        failed = false;
    }

    @AfterProperty
    void afterwards_noStrayReplies_theServerStillAnswers_andTheCanaryStillChats() {
        if (failed) {
            return;
        }
        Output stray;
        while ((stray = attacker.next(Chat.QUIET)) != null) {
            assertThat(stray.getType()).as("no reply beyond one per frame: %s", stray).isIn(PUSHES);
        }
        assertThat(attacker.request(CommandTypes.HEARTBEAT, null).getCode()).isEqualTo(200);
        assertThat(attacker.request(CommandTypes.CHAT_READ_NUM, null).getCode()).isEqualTo(200);
        canaryChats();
        assertThat(framesSent.get()).isGreaterThanOrEqualTo(2000);
        // every command was fuzzed
        for (var type : KNOWN) {
            assertThat(repliesByTypeAndCode.keySet()).as("replies to '%s'", type).anyMatch(k -> k.startsWith(type + "/"));
        }
    }

    private static void checkReply(Expected expected, Output reply) {
        var key = !expected.decodable ? "undecodable" : KNOWN.contains(expected.type) ? expected.type : "unknown";
        repliesByTypeAndCode.merge(key + "/" + reply.getCode(), 1, Integer::sum);
        var what = expected + " -> " + reply.getCode() + " " + reply.getMessage();
        assertThat(reply.getMessage()).as("no internals in %s", what)
                .doesNotContainPattern(ProtobufFrameCodecFuzzTest.STACK_TRACE);
        if (expected.exactCode != null) {
            assertThat(reply.getCode()).as(what).isEqualTo(expected.exactCode);
        }
        assertThat(reply.getCode()).as("a documented code, never 500: %s", what).isIn(ALLOWED_CODES);
        if (expected.exactCode == null) {
            // a command's own refusals only: 409 and 422 belong to frames that expect them exactly
            assertThat(reply.getCode()).as(what).isNotIn(ErrorCode.MALFORMED_FRAME.code(),
                    ErrorCode.IDENTITY_MISMATCH.code());
        }
    }

    private static void canaryChats() {
        var text = "canary " + canaryMessages.get() + " after " + framesSent.get() + " fuzz frames";
        Chat.send(canarySender, Chat.text(Chat.USER, 2, text));
        assertThat(Chat.textOf(Chat.pushed(canaryReceiver))).isEqualTo(text);
        canaryMessages.incrementAndGet();
    }

    /**
     * What a frame must be answered with: protobuf itself decides whether it is an {@code Input} (else 422); an
     * {@code auth} naming someone else is 409; a heartbeat is 200; any other command some documented code.
     */
    record Expected(String type, boolean decodable, Integer exactCode, String shown) {
        static Expected of(byte[] frame) {
            Input input;
            try {
                input = Input.parseFrom(frame);
            } catch (InvalidProtocolBufferException e) {
                return new Expected(CommandTypes.ERROR, false, ErrorCode.MALFORMED_FRAME.code(),
                        "undecodable " + Arrays.toString(frame));
            }
            Integer code = null;
            if (input.getAuthCount() > 0 && !isAttacker(input.getAuth(0))) {
                code = ErrorCode.IDENTITY_MISMATCH.code();
            } else if (CommandTypes.HEARTBEAT.equals(input.getType()) || CommandTypes.SIGN.equals(input.getType())) {
                code = 200; // sign again as oneself: 200, whatever the data
            } else if (!KNOWN.contains(input.getType())) {
                code = ErrorCode.UNKNOWN_COMMAND.code();
            }
            return new Expected(input.getType(), true, code, "'" + input.getType() + "' " + Arrays.toString(frame));
        }

        private static boolean isAttacker(Auth auth) {
            return auth.getAppId() == APP && auth.getUserId() == ATTACKER && auth.getDeviceId() == 1;
        }

        @Override
        public String toString() {
            return shown;
        }
    }

    // ---- generators ----

    @Provide
    Arbitrary<List<byte[]>> batches() {
        return frame().list().ofMinSize(2).ofMaxSize(16);
    }

    /** Mostly well-formed frames with bad data; some whole frames mutated at the byte level. */
    private static Arbitrary<byte[]> frame() {
        var wellFormed = type().flatMap(type -> Combinators.combine(data(type), auth()).as((data, auth) -> {
            var input = Input.newBuilder().setType(type).setData(data);
            auth.forEach(input::addAuth);
            return input.build().toByteArray();
        }));
        var mutated = Combinators.combine(wellFormed, ProtobufFrameCodecFuzzTest.mutation().list().ofMinSize(1)
                .ofMaxSize(3)).as((bytes, ms) -> {
                    for (var m : ms) {
                        bytes = m.apply(bytes);
                    }
                    return bytes;
                });
        // the gateway closes a connection on a frame over 64 KiB (status 1009): stay below it
        return Arbitraries.frequencyOf(Tuple2s.of(8, wellFormed), Tuple2s.of(2, mutated)).filter(b -> b.length <= 60_000);
    }

    /** Every command of {@link CommandTypes}: its names except the pushes and {@code error}. */
    private static final List<String> KNOWN = Arrays.stream(CommandTypes.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(f -> {
                    try {
                        return (String) f.get(null);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .filter(t -> !PUSHES.contains(t) && !t.equals(CommandTypes.ERROR)).toList();

    /** Every command, plus names of no command. */
    private static Arbitrary<String> type() {
        var unknown = Arbitraries.oneOf(Arbitraries.of("", CommandTypes.ERROR, "SIGN", "sendMessage", " sync", "admin", "../sign", "x".repeat(300)),
                Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(16));
        return Arbitraries.frequencyOf(Tuple2s.of(9, Arbitraries.of(KNOWN)), Tuple2s.of(1, unknown));
    }

    /** Data for a command: mostly bad, some of it a plausible request of that command (so some pass validation). */
    private static Arbitrary<ByteString> data(String type) {
        return Arbitraries.frequencyOf(Tuple2s.of(3, data()), Tuple2s.of(1, Arbitraries.randomValue(r -> plausible(type, r))));
    }

    private static Arbitrary<ByteString> data() {
        var random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(ByteString::copyFrom);
        // a valid request of some command, sent under any type: a foreign message or an extreme one
        var request = Arbitraries.randomValue(CommandFuzzIT::request).map(Message::toByteString);
        var mutatedRequest = Combinators.combine(request, ProtobufFrameCodecFuzzTest.mutation().list().ofMinSize(1)
                .ofMaxSize(3)).as((bytes, ms) -> {
                    var b = bytes.toByteArray();
                    for (var m : ms) {
                        b = m.apply(b);
                    }
                    return ByteString.copyFrom(b);
                });
        return Arbitraries.frequencyOf(Tuple2s.of(1, Arbitraries.just(ByteString.EMPTY)), Tuple2s.of(3, random),
                Tuple2s.of(6, request), Tuple2s.of(3, mutatedRequest));
    }

    /** Usually none; else the connection's own identity (allowed) or someone else's (409). */
    private static Arbitrary<List<Auth>> auth() {
        var own = Auth.newBuilder().setAppId(APP).setUserId(ATTACKER).setDeviceId(1).build();
        var other = Arbitraries.of(
                Auth.newBuilder().setAppId(APP).setUserId(VICTIM).setDeviceId(1).build(),
                Auth.newBuilder().setAppId(CANARY_APP).setUserId(2).setDeviceId(1).setToken("x").build(),
                Auth.newBuilder().setAppId(-1).setUserId(Long.MIN_VALUE).setDeviceId(Long.MAX_VALUE).build());
        return Arbitraries.frequencyOf(Tuple2s.of(8, Arbitraries.just(List.<Auth>of())),
                Tuple2s.of(1, Arbitraries.just(List.of(own))), Tuple2s.of(1, other.map(List::of)));
    }

    private static final List<Message> REQUESTS = List.of(SendMessage.getDefaultInstance(),
            ConversationReq.getDefaultInstance(), SyncReq.getDefaultInstance(), MessageRead.getDefaultInstance(),
            AddConversationReq.getDefaultInstance(), ConversationSettingReq.getDefaultInstance(),
            GetUserInfoReq.getDefaultInstance(), CreateGroupReq.getDefaultInstance(),
            GetUserGroupsReq.getDefaultInstance(), RecallReq.getDefaultInstance(), DeleteMessageReq.getDefaultInstance(),
            TypingReq.getDefaultInstance(), OnlineReq.getDefaultInstance(), GroupReadReq.getDefaultInstance(),
            pb.GetFriendListReq.getDefaultInstance(), pb.FriendItem.getDefaultInstance(),
            pb.DeleteFriendReq.getDefaultInstance(), pb.BlockReq.getDefaultInstance(), pb.AddExamine.getDefaultInstance(),
            pb.GetExamineReq.getDefaultInstance(), pb.UpExamineReq.getDefaultInstance(), pb.AddTrend.getDefaultInstance(),
            pb.GetTrendsReq.getDefaultInstance(), pb.Thumb.getDefaultInstance(), pb.AddTrendsComment.getDefaultInstance(),
            pb.Group.getDefaultInstance(), pb.DeleteGroupReq.getDefaultInstance(), pb.GroupUserReq.getDefaultInstance(),
            pb.GroupUsersReq.getDefaultInstance(), pb.AddUserbyGroup.getDefaultInstance(),
            pb.GroupMuteReq.getDefaultInstance());

    /** A request that may well be valid for this command, with now and then one field pushed to an extreme. */
    private static ByteString plausible(String type, Random r) {
        long small = 1 + r.nextInt(40);
        Message m = switch (type) {
            case CommandTypes.SEND_MESSAGE -> r.nextBoolean() ? Chat.text(Chat.USER, VICTIM, "hi " + small)
                    : Chat.text(Chat.GROUP, small, "hi group " + small);
            case CommandTypes.SYNC -> SyncReq.newBuilder().setConversationId(small).setLimit(r.nextInt(120))
                    .setAfterSeq(r.nextInt(5)).build();
            case CommandTypes.GET_CONVERSATION_LIST -> ConversationReq.newBuilder().setLimit(r.nextInt(120))
                    .setOffset(r.nextInt(20)).build();
            case CommandTypes.MESSAGE_READ -> MessageRead.newBuilder().setMessageId(small).build();
            case CommandTypes.RECALL -> RecallReq.newBuilder().setMessageId(small).build();
            case CommandTypes.DELETE_MESSAGE -> DeleteMessageReq.newBuilder().setMessageId(small).build();
            case CommandTypes.ADD_CONVERSATION -> AddConversationReq.newBuilder().setUserId(VICTIM).setType(1).build();
            case CommandTypes.UP_CONVERSATION, CommandTypes.DISTURB_CONVERSATION -> ConversationSettingReq.newBuilder()
                    .setConversationId(small).setTop(1 + r.nextInt(2)).setDisturb(1 + r.nextInt(2)).build();
            case CommandTypes.GET_USER_INFO -> GetUserInfoReq.newBuilder().setUserId(r.nextBoolean() ? 0 : VICTIM).build();
            case CommandTypes.CREATE_GROUP -> CreateGroupReq.newBuilder().setGroup(pb.Group.newBuilder()
                    .setName("g" + small).setUserIds(Long.toString(VICTIM))).build();
            case CommandTypes.GROUP_BY_USER -> GetUserGroupsReq.newBuilder().setType(r.nextInt(3)).build();
            case CommandTypes.TYPING -> TypingReq.newBuilder().setReceiverType(1).setReceiverId(VICTIM).build();
            case CommandTypes.ONLINE -> OnlineReq.newBuilder().addUserIds(VICTIM).addUserIds(ATTACKER).build();
            case CommandTypes.GROUP_READ_COUNT -> GroupReadReq.newBuilder().setConversationId(small).addSeqs(1)
                    .addSeqs(r.nextInt(5)).build();
            case CommandTypes.GET_FRIENDS, CommandTypes.SEARCH_FRIENDS -> pb.GetFriendListReq.newBuilder()
                    .setKeyword(r.nextBoolean() ? "vic" : "").build();
            case CommandTypes.UP_REMARK_FRIEND -> pb.FriendItem.newBuilder().setFId(VICTIM).setRemark("r" + small).build();
            case CommandTypes.DELETE_FRIEND -> pb.DeleteFriendReq.newBuilder().setFId(VICTIM).build();
            case CommandTypes.BLOCK, CommandTypes.UNBLOCK -> pb.BlockReq.newBuilder().setUserId(VICTIM).build();
            case CommandTypes.ADD_EXAMINE -> pb.AddExamine.newBuilder().setType(1 + r.nextInt(2))
                    .setFid(r.nextBoolean() ? VICTIM : small).setExaminetext("hi").build();
            case CommandTypes.GET_EXAMINE -> pb.GetExamineReq.newBuilder().setLimit(r.nextInt(120)).build();
            case CommandTypes.UP_EXAMINE -> pb.UpExamineReq.newBuilder().setType(1 + r.nextInt(2)).setFid(small)
                    .setUserId(VICTIM).setExamine(1 + r.nextInt(2)).build();
            case CommandTypes.ADD_TREND -> pb.AddTrend.newBuilder().setWriting("post " + small)
                    .setToUserIds(r.nextBoolean() ? "" : Long.toString(VICTIM)).build();
            case CommandTypes.GET_TRENDS -> pb.GetTrendsReq.newBuilder().setLimit(r.nextInt(120))
                    .setOffset(r.nextInt(5)).build();
            case CommandTypes.THUMB -> pb.Thumb.newBuilder().setTrendsId(small).setType(r.nextInt(2)).build();
            case CommandTypes.ADD_TRENDS_COMMENT -> pb.AddTrendsComment.newBuilder().setTrendsId(small)
                    .setIstype(1 + r.nextInt(2)).setCommentId(small).setWriting("c" + small).build();
            case CommandTypes.UP_GROUP -> pb.Group.newBuilder().setGroupId(small).setName("renamed " + small).build();
            case CommandTypes.MUTE_ALL -> pb.Group.newBuilder().setGroupId(small).setBan(r.nextInt(2)).build();
            case CommandTypes.SET_ANNOUNCEMENT -> pb.Group.newBuilder().setGroupId(small).setAnnouncement("news").build();
            case CommandTypes.DEL_GROUP, CommandTypes.QUIT_GROUP -> pb.DeleteGroupReq.newBuilder().setGroupId(small)
                    .build();
            case CommandTypes.GET_GROUP_USERS -> pb.GroupUserReq.newBuilder().setGroupId(small).setType(r.nextInt(4))
                    .setLimit(r.nextInt(120)).build();
            case CommandTypes.ADD_GROUP_USERS, CommandTypes.REMOVE_GROUP_USERS -> pb.GroupUsersReq.newBuilder()
                    .setGroupId(small).addUserIds(VICTIM).build();
            case CommandTypes.SET_GROUP_ROLE, CommandTypes.TRANSFER_GROUP, CommandTypes.SET_GROUP_LABEL ->
                    pb.AddUserbyGroup.newBuilder().setGroupId(small).setUserId(VICTIM).setIstype(1 + r.nextInt(2))
                            .setLabel("l" + small).build();
            case CommandTypes.MUTE_GROUP_USER -> pb.GroupMuteReq.newBuilder().setGroupId(small).setUserId(VICTIM)
                    .setDurationS(r.nextInt(3) - 1).build();
            default -> request(r);
        };
        if (r.nextInt(3) == 0) {
            // one field to an edge value: a huge or negative id, limit or offset
            var builder = m.toBuilder();
            var fields = builder.getDescriptorForType().getFields();
            var field = fields.get(r.nextInt(fields.size()));
            var v = value(field, builder, r, 0);
            if (v != null) {
                if (field.isRepeated()) {
                    builder.addRepeatedField(field, v);
                } else {
                    builder.setField(field, v);
                }
            }
            m = builder.build();
        }
        return m.toByteString();
    }

    /** A request message of a random command with every field set (or not) to an edge or a plausible value. */
    private static Message request(Random random) {
        return fill(REQUESTS.get(random.nextInt(REQUESTS.size())).newBuilderForType(), random, 0);
    }

    private static Message fill(Message.Builder builder, Random random, int depth) {
        for (var field : builder.getDescriptorForType().getFields()) {
            if (random.nextInt(4) == 0) {
                continue; // left unset
            }
            if (field.isRepeated()) {
                // up to the documented limit of 100, and beyond it
                int n = random.nextInt(8) == 0 ? 95 + random.nextInt(200) : random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    var v = value(field, builder, random, depth);
                    if (v != null) {
                        builder.addRepeatedField(field, v);
                    }
                }
            } else {
                var v = value(field, builder, random, depth);
                if (v != null) {
                    builder.setField(field, v);
                }
            }
        }
        return builder.build();
    }

    private static Object value(FieldDescriptor field, Message.Builder parent, Random random, int depth) {
        return switch (field.getJavaType()) {
            case INT -> pick(random, 0, 1, 2, 3, 4, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, random.nextInt());
            case LONG -> pick(random, 0L, 1L, 2L, -1L, 100L, 101L, 1000L, Long.MIN_VALUE, Long.MAX_VALUE,
                    (long) Integer.MAX_VALUE + 1, random.nextLong(), (long) random.nextInt(50));
            case BOOLEAN -> random.nextBoolean();
            case DOUBLE -> pick(random, 0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MAX_VALUE);
            case FLOAT -> pick(random, 0f, Float.NaN, Float.NEGATIVE_INFINITY);
            case STRING -> pick(random, "", "hi", "101,100", "100,101,-5,abc,99999999999999999999,,", ",,,",
                    "\u0000\uffff\ud83d\ude00", "x".repeat(5000), "1".repeat(400), Long.toString(random.nextLong()));
            case BYTE_STRING -> ByteString.copyFrom(new byte[random.nextInt(64)]);
            case ENUM -> {
                var values = field.getEnumType().getValues();
                yield values.get(random.nextInt(values.size()));
            }
            case MESSAGE -> depth >= 3 ? null
                    : fill(parent.newBuilderForField(field), random, depth + 1);
        };
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... values) {
        return values[random.nextInt(values.length)];
    }

    /** jqwik's frequency pairs, spelled short. */
    private static final class Tuple2s {
        static <T> net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends T>> of(int weight, Arbitrary<T> arbitrary) {
            return net.jqwik.api.Tuple.of(weight, arbitrary);
        }
    }
}

package io.imserver.cluster;

import static io.imserver.testing.Chat.APP;
import static io.imserver.testing.Chat.GROUP;
import static io.imserver.testing.Chat.USER;
import static io.imserver.testing.Chat.history;
import static io.imserver.testing.Chat.pushed;
import static io.imserver.testing.Chat.send;
import static io.imserver.testing.Chat.sendTo;
import static io.imserver.testing.Chat.sendToGroup;
import static io.imserver.testing.Chat.text;
import static io.imserver.testing.Chat.textOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imserver.testing.Chat;
import io.imserver.testing.ClusterNode;
import io.imserver.testing.TestDatabase;
import io.imserver.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import pb.GetUserInfoReq;
import pb.GetUserInfoResp;
import pb.MessageItem;
import pb.OnlineReq;
import pb.OnlineResp;

/**
 * Three server nodes, each a JVM of its own, on the machine's Redis and one shared database; users and devices
 * spread over the nodes. The engine is the subclass's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterTestBase {
    static final int NODES = 3;
    /** The nodes' presence TTL: short, so that a killed node is gone quickly. */
    static final int PRESENCE_TTL_S = 3;

    private final AtomicLong nextUser = new AtomicLong(1000);
    TestDatabase database;
    final List<ClusterNode> nodes = new ArrayList<>();
    String clusterName;

    abstract String engine();

    @BeforeAll
    void startCluster() {
        database = TestDatabase.create(engine());
        clusterName = "imt-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < NODES; i++) {
            nodes.add(ClusterNode.start(clusterName, "node" + i, database.url(), PRESENCE_TTL_S));
        }
        nodes.get(0).admin().putApp(APP, "cluster");
    }

    @AfterAll
    void stopCluster() {
        nodes.forEach(ClusterNode::close);
        if (database != null) {
            database.close();
        }
    }

    ClusterNode node(int i) {
        return nodes.get(i % nodes.size());
    }

    /** A new user, created through the admin API of node {@code via}. */
    long newUser(int via) {
        long id = nextUser.incrementAndGet();
        node(via).admin().putUser(APP, id, "user" + id);
        return id;
    }

    @Test
    void directMessages_reachEveryDeviceOnEveryNode_onceAndInSeqOrder() {
        long ann = newUser(0);
        long bob = newUser(1);
        try (var annPhone = node(0).signIn(APP, ann, 1); var annLaptop = node(1).signIn(APP, ann, 2);
             var bobPhone = node(1).signIn(APP, bob, 1); var bobLaptop = node(2).signIn(APP, bob, 2)) {
            var sent = new ArrayList<MessageItem>();
            for (int i = 1; i <= 20; i++) {
                sent.add(sendTo(annPhone, bob, "m" + i));
            }
            for (var device : List.of(bobPhone, bobLaptop)) {
                var got = LongStream.rangeClosed(1, 20).mapToObj(i -> pushed(device)).toList();
                assertThat(got).extracting(MessageItem::getSeq).containsExactlyElementsOf(
                        LongStream.rangeClosed(1, 20).boxed().toList());
                assertThat(got).extracting(Chat::textOf).containsExactlyElementsOf(
                        sent.stream().map(Chat::textOf).toList());
                device.assertNoOutput("message", Chat.QUIET);
            }
            // the sender's other device, on another node, gets the sender's copies; the sending device none
            var copies = LongStream.rangeClosed(1, 20).mapToObj(i -> pushed(annLaptop)).toList();
            assertThat(copies).extracting(MessageItem::getId).containsExactlyElementsOf(
                    sent.stream().map(MessageItem::getId).toList());
            annLaptop.assertNoOutput("message", Chat.QUIET);
            annPhone.assertNoOutput("message", Chat.QUIET);
        }
    }

    @Test
    void groupMessages_reachEveryMemberOnEveryNode_onceAndInSeqOrder() {
        long owner = newUser(0);
        var members = List.of(newUser(1), newUser(2), newUser(0));
        long group = node(1).admin().createGroup(APP, "team", owner, members);
        var devices = new ArrayList<WsClient>();
        try (var sender = node(0).signIn(APP, owner, 1)) {
            for (int i = 0; i < members.size(); i++) {
                devices.add(node(i + 1).signIn(APP, members.get(i), 1));
                devices.add(node(i + 2).signIn(APP, members.get(i), 2));
            }
            var ownerOther = node(2).signIn(APP, owner, 2);
            devices.add(ownerOther);
            var sent = new ArrayList<MessageItem>();
            for (int i = 1; i <= 15; i++) {
                sent.add(sendToGroup(sender, group, "g" + i));
            }
            for (var device : devices) {
                var got = LongStream.rangeClosed(1, 15).mapToObj(i -> pushed(device)).toList();
                assertThat(got).extracting(MessageItem::getId).containsExactlyElementsOf(
                        sent.stream().map(MessageItem::getId).toList());
                assertThat(got).extracting(MessageItem::getSeq).isSorted().doesNotHaveDuplicates();
                device.assertNoOutput("message", Duration.ofMillis(200));
            }
        } finally {
            devices.forEach(WsClient::close);
        }
    }

    @Test
    void concurrentSendersOnDifferentNodes_yieldGapFreeDuplicateFreeSeqs() throws Exception {
        long ann = newUser(0);
        long bob = newUser(1);
        var members = List.of(newUser(0), newUser(1), newUser(2));
        long group = node(2).admin().createGroup(APP, "busy", members.get(0), members.subList(1, 3));
        int perSender = 60;
        var pool = Executors.newFixedThreadPool(5);
        try {
            var tasks = new ArrayList<Callable<List<MessageItem>>>();
            tasks.add(() -> sendMany(node(0), ann, 1, USER, bob, perSender));
            tasks.add(() -> sendMany(node(1), bob, 1, USER, ann, perSender));
            for (int i = 0; i < members.size(); i++) {
                int n = i;
                tasks.add(() -> sendMany(node(n), members.get(n), 1, GROUP, group, perSender));
            }
            var acked = new ArrayList<MessageItem>();
            for (var f : pool.invokeAll(tasks)) {
                acked.addAll(f.get());
            }
            try (var annReader = node(2).signIn(APP, ann, 9); var memberReader = node(0).signIn(APP, members.get(2), 9)) {
                var annConversation = Chat.conversationWith(annReader, USER, bob).getId();
                assertGapFree(history(annReader, annConversation), 2 * perSender);
                var groupConversation = Chat.conversationWith(memberReader, GROUP, group).getId();
                var groupHistory = history(memberReader, groupConversation);
                assertGapFree(groupHistory, 3 * perSender);
                var groupAcked = acked.stream().filter(m -> m.getReceiverType() == GROUP).map(MessageItem::getId)
                        .toList();
                assertThat(groupHistory).extracting(MessageItem::getId).containsExactlyInAnyOrderElementsOf(groupAcked);
            }
            // message ids come from blocks reserved per node: unique across the cluster
            assertThat(acked).extracting(MessageItem::getId).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<MessageItem> sendMany(ClusterNode node, long user, long device, int receiverType,
                                              long receiver, int count) {
        try (var client = node.signIn(APP, user, device)) {
            var acked = new ArrayList<MessageItem>();
            for (int i = 0; i < count; i++) {
                acked.add(send(client, text(receiverType, receiver, user + ":" + i)));
            }
            return acked;
        }
    }

    static void assertGapFree(List<MessageItem> history, int expected) {
        assertThat(history).hasSize(expected);
        assertThat(history).extracting(MessageItem::getSeq).containsExactlyElementsOf(
                LongStream.rangeClosed(1, expected).boxed().toList());
        assertThat(new HashSet<>(history.stream().map(MessageItem::getId).toList())).hasSize(expected);
    }

    @Test
    void signingInOnAnotherNode_kicksTheDevicesConnectionOnTheFirst() {
        long ann = newUser(0);
        try (var first = node(0).signIn(APP, ann, 1); var second = node(1).signIn(APP, ann, 1)) {
            var kick = first.awaitType("kick");
            assertThat(kick.getCode()).isEqualTo(410);
            assertThat(first.awaitClose(Duration.ofSeconds(5))).startsWith("4001");
            // the newer connection keeps working and is the one that receives
            long bob = newUser(2);
            try (var bobClient = node(2).signIn(APP, bob, 1)) {
                sendTo(bobClient, ann, "still here?");
                assertThat(textOf(pushed(second))).isEqualTo("still here?");
            }
        }
    }

    @Test
    void adminChangesOnOneNode_takeEffectOnTheOthers() {
        long owner = newUser(0);
        long joiner = newUser(1);
        long group = node(0).admin().createGroup(APP, "admins", owner, List.of());
        try (var ownerClient = node(2).signIn(APP, owner, 1); var joinerClient = node(2).signIn(APP, joiner, 1)) {
            // not a member yet: node 2 refuses
            assertThat(joinerClient.request("sendmessage", text(GROUP, group, "let me in")).getCode()).isEqualTo(403);
            node(1).admin().putMember(APP, group, joiner);
            sendToGroup(joinerClient, group, "hello from the new member");
            assertThat(textOf(pushed(ownerClient))).isEqualTo("hello from the new member");
            node(0).admin().removeMember(APP, group, joiner);
            assertThat(joinerClient.request("sendmessage", text(GROUP, group, "still in?")).getCode()).isEqualTo(403);

            // a profile changed through node 1 shows on node 2 (its cache is dropped by the change's event)
            node(1).admin().putUser(APP, joiner, "renamed");
            await("the new nickname on node 2").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Chat.ok(ownerClient.request("getuserinfo", GetUserInfoReq.newBuilder()
                            .setUserId(joiner).build()), GetUserInfoResp.parser()).getNickname().equals("renamed"));
        }
    }

    @Test
    void groupManagementOnOneNode_holdsForSendsOnTheOthers_andItsNoticesReachEveryNode() {
        long owner = newUser(0);
        long member = newUser(1);
        long group = node(0).admin().createGroup(APP, "muted here and there", owner, List.of(member));
        try (var ownerClient = node(0).signIn(APP, owner, 1); var memberClient = node(2).signIn(APP, member, 1);
             var memberOther = node(1).signIn(APP, member, 2)) {
            sendToGroup(memberClient, group, "before"); // node 2 has now read the membership
            pushed(memberOther);
            Chat.ok(ownerClient.request("mutegroupuser", pb.GroupMuteReq.newBuilder().setGroupId(group)
                    .setUserId(member).setDurationS(-1).build()));
            assertThat(pushed(memberOther).getSenderType()).isEqualTo(1); // the notice, on node 1

            assertThat(memberClient.request("sendmessage", text(GROUP, group, "muted?")).getCode()).isEqualTo(462);
            assertThat(pushed(memberClient).getSenderType()).isEqualTo(1);

            Chat.ok(ownerClient.request("mutegroupuser", pb.GroupMuteReq.newBuilder().setGroupId(group)
                    .setUserId(member).setDurationS(0).build()));
            pushed(memberClient);
            assertThat(textOf(pushed(ownerClient))).isEqualTo("before");
            assertThat(pushed(ownerClient).getSenderType()).isEqualTo(1); // muted
            assertThat(pushed(ownerClient).getSenderType()).isEqualTo(1); // unmuted
            sendToGroup(memberClient, group, "free again");
            assertThat(textOf(pushed(ownerClient))).isEqualTo("free again");
        }
    }

    @Test
    void adminKickAndDevices_reachTheNodeThatHoldsTheDevice() {
        long ann = newUser(0);
        try (var phone = node(1).signIn(APP, ann, 1); var laptop = node(2).signIn(APP, ann, 2)) {
            var devices = node(0).admin().call("GET", "/api/v1/apps/" + APP + "/users/" + ann + "/devices", null);
            assertThat(devices.status()).isEqualTo(200);
            assertThat(devices.body().get("device_ids").toString()).isEqualTo("[1,2]");
            var kicked = node(0).admin().call("DELETE", "/api/v1/apps/" + APP + "/users/" + ann + "/devices/2", null);
            assertThat(kicked.status()).isEqualTo(200);
            assertThat(kicked.body().get("kicked").asBoolean()).isTrue();
            assertThat(laptop.awaitType("kick").getCode()).isEqualTo(410);
            assertThat(laptop.awaitClose(Duration.ofSeconds(5))).startsWith("4001");
            phone.assertNoOutput("kick", Chat.QUIET);
        }
    }

    @Test
    void presence_isSeenFromEveryNode() {
        long ann = newUser(0);
        long bob = newUser(1);
        try (var annClient = node(0).signIn(APP, ann, 1); var bobClient = node(2).signIn(APP, bob, 1)) {
            var online = Chat.ok(bobClient.request("online", OnlineReq.newBuilder().addUserIds(ann).addUserIds(999_999)
                    .build()), OnlineResp.parser());
            assertThat(online.getOnlineUserIdsList()).containsExactly(ann);
        }
    }
}

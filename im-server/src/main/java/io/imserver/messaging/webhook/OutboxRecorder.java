package io.imserver.messaging.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imserver.cluster.Presence;
import io.imserver.store.AccountRepository;
import io.imserver.store.Conversation;
import io.imserver.store.ConversationRepository;
import io.imserver.store.Group;
import io.imserver.store.GroupMember;
import io.imserver.store.GroupRepository;
import io.imserver.store.MessageRepository;
import io.imserver.store.PeerType;
import io.imserver.store.StoreTx;
import io.imserver.store.StoredMessage;
import io.imserver.store.StreamType;
import io.imserver.store.Webhook;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Optional;

/**
 * Records the after-events of one writer transaction into the outbox, in that transaction; {@link #view()} is the
 * transaction as the use cases see it.
 *
 * <p>Recorded, for apps whose webhook wants them: a stored message (one event per message: for 1:1 the receiver's
 * copy, or the only copy), the same message for recipients with no signed-in device ({@code message.offline}), a
 * recall (the receiver's copy), a read position that moved, and group changes. Events are ordered per conversation:
 * the key is the pair of users for 1:1, the group for groups.
 *
 * @implNote The repositories are wrapped with dynamic proxies that forward every call and look at a few: methods
 * added to the interfaces later pass through unchanged.
 */
final class OutboxRecorder {
    private final StoreTx tx;
    private final WebhookSettings settings;
    private final Presence presence;
    private final Clock clock;
    private final MessageRepository messages;
    private final ConversationRepository conversations;
    private final GroupRepository groups;
    private final AccountRepository accounts;

    OutboxRecorder(StoreTx tx, WebhookSettings settings, Presence presence, Clock clock) {
        this.tx = tx;
        this.settings = settings;
        this.presence = presence;
        this.clock = clock;
        this.messages = watch(MessageRepository.class, tx.messages(), this::afterMessageCall);
        this.conversations = watch(ConversationRepository.class, tx.conversations(), this::afterConversationCall);
        this.groups = watch(GroupRepository.class, tx.groups(), this::afterGroupCall);
        this.accounts = watch(AccountRepository.class, tx.accounts(), this::afterAccountCall);
    }

    /** The transaction as the use cases see it: every repository as before, four of them watched. */
    StoreTx view() {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "messages" -> messages;
            case "conversations" -> conversations;
            case "groups" -> groups;
            case "accounts" -> accounts;
            default -> invoke(method, tx, args);
        };
        return (StoreTx) Proxy.newProxyInstance(StoreTx.class.getClassLoader(), new Class<?>[] {StoreTx.class},
                handler);
    }

    private Optional<Webhook> wanting(long appId, String event) {
        return settings.cached(tx, appId).filter(w -> w.wants(event));
    }

    private void append(long appId, String event, String key, ObjectNode body) {
        tx.webhooks().append(appId, event, key, WebhookPayloads.text(body), clock.millis());
    }

    private void afterMessageCall(String method, Object[] args, Object result) {
        if (method.equals("insert")) {
            stored((StoredMessage) result);
        } else if (method.equals("rewrite") && (int) args[1] == StoredMessage.STATUS_RECALLED) {
            tx.messages().find((long) args[0]).ifPresent(this::recalled);
        }
    }

    private void stored(StoredMessage m) {
        boolean storedWanted = wanting(m.appId(), WebhookEvents.MESSAGE_STORED).isPresent();
        boolean offlineWanted = wanting(m.appId(), WebhookEvents.MESSAGE_OFFLINE).isPresent();
        if (!storedWanted && !offlineWanted) {
            return;
        }
        var offline = new ArrayList<Long>();
        String key;
        long conversationId = 0;
        long ownerId = 0;
        if (m.streamType() == StreamType.GROUP) {
            key = groupKey(m.streamId());
            if (offlineWanted) {
                for (long member : tx.conversations().activeGroupConversations(m.appId(), m.streamId()).keySet()) {
                    if (member != m.senderId() && !presence.isOnline(m.appId(), member)) {
                        offline.add(member);
                    }
                }
            }
        } else {
            var conv = tx.conversations().find(m.streamId()).orElseThrow();
            if (!reportedCopy(conv, m)) {
                return;
            }
            key = pairKey(conv.ownerId(), conv.peerId());
            conversationId = conv.id();
            ownerId = conv.ownerId();
            if (offlineWanted && ownerId != m.senderId() && !presence.isOnline(m.appId(), ownerId)) {
                offline.add(ownerId);
            }
        }
        if (storedWanted) {
            append(m.appId(), WebhookEvents.MESSAGE_STORED, key,
                    messageEvent(WebhookEvents.MESSAGE_STORED, m, conversationId, ownerId));
        }
        if (!offline.isEmpty()) {
            var body = messageEvent(WebhookEvents.MESSAGE_OFFLINE, m, conversationId, ownerId);
            var users = body.putArray("user_ids");
            offline.forEach(users::add);
            append(m.appId(), WebhookEvents.MESSAGE_OFFLINE, key, body);
        }
    }

    /** The event's body for a stored record. */
    private ObjectNode messageEvent(String event, StoredMessage m, long conversationId, long ownerId) {
        return WebhookPayloads.message(WebhookPayloads.event(event, m.appId(), clock.millis()), m, conversationId,
                ownerId);
    }

    private void recalled(StoredMessage m) {
        if (wanting(m.appId(), WebhookEvents.MESSAGE_RECALLED).isEmpty()) {
            return;
        }
        if (m.streamType() == StreamType.GROUP) {
            append(m.appId(), WebhookEvents.MESSAGE_RECALLED, groupKey(m.streamId()),
                    messageEvent(WebhookEvents.MESSAGE_RECALLED, m, 0, 0));
            return;
        }
        var conv = tx.conversations().find(m.streamId()).orElseThrow();
        if (reportedCopy(conv, m)) {
            append(m.appId(), WebhookEvents.MESSAGE_RECALLED, pairKey(conv.ownerId(), conv.peerId()),
                    messageEvent(WebhookEvents.MESSAGE_RECALLED, m, conv.id(), conv.ownerId()));
        }
    }

    /** Of a 1:1 message's two copies, the receiver's is reported (or the only copy, sent to oneself). */
    private boolean reportedCopy(Conversation conv, StoredMessage m) {
        return conv.ownerId() != m.senderId() || conv.peerId() == m.senderId();
    }

    private void afterConversationCall(String method, Object[] args, Object result) {
        if (method.equals("advanceRead") && Boolean.TRUE.equals(result)) {
            var conv = tx.conversations().find((long) args[0]).orElseThrow();
            if (wanting(conv.appId(), WebhookEvents.MESSAGE_READ).isEmpty()) {
                return;
            }
            var body = WebhookPayloads.event(WebhookEvents.MESSAGE_READ, conv.appId(), clock.millis())
                    .put("conversation_id", conv.id()).put("user_id", conv.ownerId())
                    .put("receiver_type", conv.peerType().code()).put("receiver_id", conv.peerId())
                    .put("read_seq", (long) args[1]);
            append(conv.appId(), WebhookEvents.MESSAGE_READ, conv.peerType() == PeerType.GROUP
                    ? groupKey(conv.peerId()) : pairKey(conv.ownerId(), conv.peerId()), body);
        }
    }

    private void afterGroupCall(String method, Object[] args, Object result) {
        switch (method) {
            case "create" -> {
                var g = (Group) result;
                groupChanged(g.appId(), g.groupId(), "created", g.ownerId());
            }
            case "putMember" -> {
                var m = (GroupMember) args[0];
                groupChanged(m.appId(), m.groupId(), "member_put", m.userId());
            }
            case "removeMember" -> {
                if (Boolean.TRUE.equals(result)) {
                    long groupId = (long) args[0];
                    appOfGroup(groupId).ifPresent(app -> groupChanged(app, groupId, "member_removed",
                            (long) args[1]));
                }
            }
            default -> { }
        }
    }

    private void afterAccountCall(String method, Object[] args, Object result) {
        switch (method) {
            case "updateGroup" -> appOfGroup((long) args[0])
                    .ifPresent(app -> groupChanged(app, (long) args[0], "updated", 0));
            case "setGroupOwner" -> appOfGroup((long) args[0])
                    .ifPresent(app -> groupChanged(app, (long) args[0], "owner_changed", (long) args[1]));
            default -> { }
        }
    }

    private Optional<Long> appOfGroup(long groupId) {
        return tx.groups().members(groupId).stream().findFirst().map(GroupMember::appId);
    }

    private void groupChanged(long appId, long groupId, String change, long userId) {
        if (wanting(appId, WebhookEvents.GROUP_CHANGED).isEmpty()) {
            return;
        }
        append(appId, WebhookEvents.GROUP_CHANGED, groupKey(groupId),
                WebhookPayloads.event(WebhookEvents.GROUP_CHANGED, appId, clock.millis())
                        .put("group_id", groupId).put("change", change).put("user_id", userId));
    }

    /** Group deletion is recorded before the rows go (afterwards the group's app is unknown). */
    private void beforeAccountCall(String method, Object[] args) {
        if (method.equals("deleteGroup")) {
            long groupId = (long) args[0];
            appOfGroup(groupId).ifPresent(app -> groupChanged(app, groupId, "deleted", 0));
        }
    }

    @SuppressWarnings("unchecked")
    private <R> R watch(Class<R> type, R target, Watcher after) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(target, args);
            }
            if (type == AccountRepository.class) {
                beforeAccountCall(method.getName(), args);
            }
            Object result = invoke(method, target, args);
            after.seen(method.getName(), args, result);
            return result;
        };
        return (R) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    @FunctionalInterface
    private interface Watcher {
        void seen(String method, Object[] args, Object result);
    }

    /** Calls through, rethrowing what the target threw as itself. */
    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The order key of a 1:1 conversation: the same for both users' copies. */
    static String pairKey(long a, long b) {
        return "u:" + Math.min(a, b) + ":" + Math.max(a, b);
    }

    static String groupKey(long groupId) {
        return "g:" + groupId;
    }
}

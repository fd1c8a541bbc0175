package io.imserver.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import pb.ConversationItem;
import pb.MessageItem;
import pb.SendMessage;

/**
 * Every message of every conversation of the signed-in user, each passed on exactly once and in seq order per
 * conversation, across lost pushes, duplicates and reconnects: the client algorithm of the protocol doc
 * ("Client algorithm") on top of an {@link ImClient}.
 * <ul>
 *   <li>A {@code message} push with the conversation's next seq is passed on; an older one is dropped as a
 *       duplicate; a newer one means missed messages: the conversation is caught up by seq ({@link ImClient#catchUp})
 *       and pushes that arrive meanwhile wait for it.</li>
 *   <li>After every sign-in (the first and each reconnect) the conversations changed since the last list version are
 *       fetched ({@code getconversationlist} with {@code since_version}) and each one whose {@code last_seq} is ahead
 *       is caught up. {@link #synced()} tells when that is done.</li>
 *   <li>The user's own messages sent through {@link #send} enter the feed with their reply; ones sent by the user's
 *       other devices, or directly on the client, arrive through the catch-up.</li>
 * </ul>
 * Started {@link Start#fromNow() from now}, what the conversations hold when the feed first lists them (right after
 * the first sign-in; {@link #synced()} completes then) is history (page it with {@code sync before_seq}) and only
 * later messages are passed on. Started {@link Start#from from a saved position}
 * (see {@link #checkpoint()}), the feed first passes on everything the user missed since. Messages the user deleted
 * for themselves are skipped, so seqs may jump over them. Like the client, the feed lives on the client's event loop:
 * the listener is called there and must return quickly.
 */
public final class MessageFeed {
    private static final int LIST_PAGE = 100;

    /**
     * Where a feed starts: {@link #fromNow()}, or the list version and per-conversation seqs of a
     * {@link MessageFeed#checkpoint()} (a conversation missing from the map starts at seq 0).
     */
    public record Start(long version, Map<Long, Long> positions) {
        public Start {
            positions = Map.copyOf(positions);
        }

        /**
         * Only messages stored after the feed's first list (right after the first sign-in: wait for
         * {@link MessageFeed#synced()}); the conversations' earlier messages are history.
         */
        public static Start fromNow() {
            return new Start(-1, Map.of());
        }

        /** From a saved position: everything after it is passed on, first what was missed while away. */
        public static Start from(long version, Map<Long, Long> positions) {
            if (version < 0) {
                throw new IllegalArgumentException("version: " + version + " (expected: >= 0)");
            }
            return new Start(version, positions);
        }
    }

    private static final class Conversation {
        long seq;
        CompletableFuture<Void> fill; // the catch-up in progress, if any
        final List<MessageItem> waiting = new ArrayList<>(); // pushes that came during the catch-up

        Conversation(long seq) {
            this.seq = seq;
        }
    }

    private final ImClient client;
    private final MessageListener listener;

    // confined to the client's event loop
    private final Map<Long, Conversation> conversations = new HashMap<>();
    private long version;
    private List<MessageItem> beforeFirstList; // non-null while a feed started from now waits for its first list
    private int generation;
    private CompletableFuture<Void> synced = new CompletableFuture<>();

    private MessageFeed(ImClient client, Start start, MessageListener listener) {
        this.client = client;
        this.listener = listener;
        this.version = Math.max(0, start.version());
        this.beforeFirstList = start.version() < 0 ? new ArrayList<>() : null;
        start.positions().forEach((id, seq) -> conversations.put(id, new Conversation(seq)));
    }

    /**
     * A feed over {@code client}, passing messages to {@code listener}. Attach it before {@link ImClient#connect()},
     * or at any time after: a connected client is caught up at once.
     */
    public static MessageFeed attach(ImClient client, Start start, MessageListener listener) {
        var feed = new MessageFeed(Objects.requireNonNull(client, "client"), Objects.requireNonNull(start, "start"),
                Objects.requireNonNull(listener, "listener"));
        client.onMessage((c, message) -> feed.offer(message));
        client.onStateChange((c, state, cause) -> {
            if (state == ConnectionState.CONNECTED) {
                feed.resync();
            }
        });
        client.executor().execute(() -> {
            if (client.state() == ConnectionState.CONNECTED && feed.generation == 0) {
                feed.resync();
            }
        });
        return feed;
    }

    /**
     * {@link ImClient#sendReliably} whose stored message enters the feed (and reaches the listener) in its
     * conversation's order.
     */
    public CompletableFuture<MessageItem> send(SendMessage message, int attempts) {
        return client.sendReliably(message, attempts).thenApply(item -> {
            offer(item);
            return item;
        });
    }

    /** Completes when the catch-up after the latest sign-in is done; a reconnect begins a new one. */
    public CompletableFuture<Void> synced() {
        return CompletableFuture.supplyAsync(() -> synced, client.executor()).thenCompose(f -> f);
    }

    /** The position to start a feed from later ({@link Start#from}) without missing or repeating a message. */
    public CompletableFuture<Start> checkpoint() {
        return CompletableFuture.supplyAsync(() -> {
            var positions = new HashMap<Long, Long>();
            conversations.forEach((id, c) -> positions.put(id, c.seq));
            return Start.from(version, positions);
        }, client.executor());
    }

    private void offer(MessageItem item) {
        if (beforeFirstList != null) {
            beforeFirstList.add(item);
            return;
        }
        long id = item.getConversationId();
        var c = conversations.computeIfAbsent(id, k -> new Conversation(0));
        if (c.fill != null) {
            c.waiting.add(item);
        } else if (item.getSeq() == c.seq + 1) {
            accept(c, item);
        } else if (item.getSeq() > c.seq) {
            c.waiting.add(item);
            fill(id, c);
        }
    }

    private void accept(Conversation c, MessageItem item) {
        if (item.getSeq() > c.seq) {
            c.seq = item.getSeq();
            listener.onMessage(client, item);
        }
    }

    /**
     * Catches a conversation up to the server's newest message, then applies the pushes that waited: they came after
     * the catch-up's read, in seq order, so none is missing between.
     */
    private CompletableFuture<Void> fill(long id, Conversation c) {
        if (c.fill != null) {
            return c.fill;
        }
        var fill = new CompletableFuture<Void>();
        c.fill = fill;
        client.catchUp(id, c.seq).whenComplete((items, error) -> {
            if (c.fill != fill) {
                fill.cancel(false); // begun on a connection that is gone; a newer catch-up took over
                return;
            }
            c.fill = null;
            if (error != null) {
                fill.completeExceptionally(error); // the waiting pushes stay for the next catch-up
                return;
            }
            items.forEach(item -> accept(c, item));
            var waiting = new ArrayList<>(c.waiting);
            c.waiting.clear();
            waiting.sort(Comparator.comparingLong(MessageItem::getSeq));
            waiting.forEach(item -> accept(c, item));
            fill.complete(null);
        });
        return fill;
    }

    private void resync() {
        int current = ++generation;
        if (synced.isDone()) {
            synced = new CompletableFuture<>();
        }
        conversations.values().forEach(c -> c.fill = null);
        listChanges(version, new ArrayList<>()).thenCompose(list -> {
            if (current != generation) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (beforeFirstList != null) {
                list.items().forEach(item -> conversations.putIfAbsent(item.getId(), new Conversation(item.getLastSeq())));
                var early = beforeFirstList;
                beforeFirstList = null;
                early.forEach(this::offer);
            }
            var fills = new ArrayList<CompletableFuture<Void>>();
            for (var item : list.items()) {
                var c = conversations.computeIfAbsent(item.getId(), k -> new Conversation(0));
                if (item.getLastSeq() > c.seq || !c.waiting.isEmpty()) {
                    fills.add(fill(item.getId(), c));
                }
            }
            return CompletableFuture.allOf(fills.toArray(CompletableFuture[]::new)).thenRun(() -> {
                if (current == generation) {
                    version = Math.max(version, list.version());
                }
            });
        }).whenComplete((v, error) -> {
            if (current == generation) {
                if (error == null) {
                    synced.complete(null);
                }
                // on error the connection is gone or a request failed: the next sign-in catches up again
            }
        });
    }

    private record Changes(List<ConversationItem> items, long version) {
    }

    private CompletableFuture<Changes> listChanges(long since, List<ConversationItem> collected) {
        return client.conversationChanges(since, LIST_PAGE).thenCompose(page -> {
            collected.addAll(page.getConversationList());
            if (page.getHasMore() && page.getVersion() > since) {
                return listChanges(page.getVersion(), collected);
            }
            return CompletableFuture.completedFuture(new Changes(collected, page.getVersion()));
        });
    }
}

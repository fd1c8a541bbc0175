package io.imserver.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import pb.MessageItem;
import pb.Output;
import pb.SendMessage;

/**
 * What senders were told: the client message ids of the sends acknowledged (200), and those left in doubt (no reply,
 * or an error). Checks a stream's stored history against it: nothing acknowledged lost, nothing stored twice.
 */
public final class Ledger {
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final Set<String> inDoubt = ConcurrentHashMap.newKeySet();

    public void acked(String clientMsgId) {
        acked.add(clientMsgId);
        inDoubt.remove(clientMsgId);
    }

    public void inDoubt(String clientMsgId) {
        inDoubt.add(clientMsgId);
    }

    /**
     * Sends and records the outcome: acknowledged (200), else in doubt and added to {@code retryLater}, to be sent
     * again with the same client message id. @return the reply
     */
    public Output send(WsClient client, SendMessage message, List<SendMessage> retryLater) {
        var reply = client.request("sendmessage", message);
        if (reply.getCode() == 200) {
            acked(message.getClientMsgId());
        } else {
            retryLater.add(message);
        }
        return reply;
    }

    public int ackedCount() {
        return acked.size();
    }

    public Set<String> inDoubt() {
        return Set.copyOf(inDoubt);
    }

    /**
     * Asserts a stream's history (oldest first): seqs 1..n without gaps, no client message id twice, and each of
     * {@code ackedHere} (the acknowledged sends that belong to this stream) present.
     *
     * @return how many of {@code ackedHere} were found
     */
    public static int assertStoredOnce(String stream, List<MessageItem> history, Set<String> ackedHere) {
        assertThat(history).extracting(MessageItem::getSeq).as("seqs of %s", stream)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, history.size()).boxed().toList());
        Map<String, Long> copies = history.stream().collect(Collectors.groupingBy(MessageItem::getClientMsgId,
                Collectors.counting()));
        assertThat(copies.entrySet()).as("client message ids stored more than once in %s", stream)
                .filteredOn(e -> e.getValue() > 1).isEmpty();
        assertThat(copies.keySet()).as("acknowledged sends in %s", stream).containsAll(ackedHere);
        return (int) ackedHere.stream().filter(copies::containsKey).count();
    }

    /** The acknowledged client message ids that start with {@code prefix} (how a test names a stream's sends). */
    public Set<String> ackedStartingWith(String prefix) {
        return acked.stream().filter(id -> id.startsWith(prefix)).collect(Collectors.toSet());
    }
}

package io.imserver.messaging;

import com.google.protobuf.ByteString;
import io.imserver.cluster.Presence;
import io.imserver.cluster.Push;
import io.imserver.protocol.Outputs;
import java.util.List;
import java.util.function.Supplier;
import pb.MessageItem;

/**
 * A serialized MessageItem to push to every online device of one user but one (0: none excepted), built only when
 * the push goes out and the user may have such a device.
 *
 * @implNote Whether anyone is there to take a push is asked after the commit, never while the write runs: a device
 *     that signed in between the two would miss the push, while its catch-up sync, read before the commit, missed
 *     the message too. Building the item lazily keeps the saving of not building pushes for absent users.
 */
record Delivery(long appId, long userId, long exceptDeviceId, Supplier<ByteString> item) {

    Delivery(long appId, long userId, long exceptDeviceId, MessageItem item) {
        this(appId, userId, exceptDeviceId, item::toByteString);
    }

    /** Pushes each record as {@code type} to users who may have a device to take it; called after the commit. */
    static void pushAll(Presence presence, String type, List<Delivery> deliveries) {
        var pushes = new java.util.ArrayList<Push>(deliveries.size());
        for (var d : deliveries) {
            boolean someone = d.exceptDeviceId() == 0 ? presence.mayBeOnline(d.appId(), d.userId())
                    : presence.mayBeOnlineBesides(d.appId(), d.userId(), d.exceptDeviceId());
            if (someone) {
                pushes.add(new Push(d.appId(), d.userId(), d.exceptDeviceId(), Outputs.ok(type, d.item().get())));
            }
        }
        if (!pushes.isEmpty()) {
            presence.deliverAll(pushes);
        }
    }
}

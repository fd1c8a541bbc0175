package io.imserver.messaging;

import com.google.protobuf.ByteString;
import io.imserver.cluster.Presence;
import io.imserver.cluster.Push;
import io.imserver.protocol.Outputs;
import java.util.List;
import pb.MessageItem;

/** A serialized MessageItem to push to every online device of one user but one (0: none excepted). */
record Delivery(long appId, long userId, long exceptDeviceId, ByteString item) {

    Delivery(long appId, long userId, long exceptDeviceId, MessageItem item) {
        this(appId, userId, exceptDeviceId, item.toByteString());
    }

    /** Pushes each record as {@code type}; called after the commit, in commit order. */
    static void pushAll(Presence presence, String type, List<Delivery> deliveries) {
        var pushes = new java.util.ArrayList<Push>(deliveries.size());
        for (var d : deliveries) {
            pushes.add(new Push(d.appId(), d.userId(), d.exceptDeviceId(), Outputs.ok(type, d.item())));
        }
        presence.deliverAll(pushes);
    }
}

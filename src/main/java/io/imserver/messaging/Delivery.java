package io.imserver.messaging;

import io.imserver.cluster.Presence;
import io.imserver.protocol.Outputs;
import java.util.List;
import pb.MessageItem;

/** A message record to push to every online device of one user but one (0: none excepted). */
record Delivery(long appId, long userId, long exceptDeviceId, MessageItem item) {

    /** Pushes each record as {@code type}; called after the commit, in commit order. */
    static void pushAll(Presence presence, String type, List<Delivery> deliveries) {
        for (var d : deliveries) {
            presence.deliver(d.appId(), d.userId(), d.exceptDeviceId(), Outputs.ok(type, d.item()));
        }
    }
}

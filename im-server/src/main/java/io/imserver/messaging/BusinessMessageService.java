package io.imserver.messaging;

import io.imserver.auth.Identity;
import io.imserver.protocol.ImException;
import java.util.concurrent.CompletableFuture;
import pb.MessageItem;
import pb.SendMessage;

/**
 * A message from a business backend (admin API, gRPC): sender_type 1 is a system message into the receiver's
 * conversation ({@link SystemMessageService}); sender_type 2 is sent as the user {@code sender_id} exactly like a
 * WebSocket {@code sendmessage} ({@link SendMessageService}: both sides' records, pushes, before-send hook,
 * exactly-once by client message id).
 */
public final class BusinessMessageService {
    private final SendMessageService users;
    private final SystemMessageService system;

    public BusinessMessageService(SendMessageService users, SystemMessageService system) {
        this.users = users;
        this.system = system;
    }

    /**
     * @param deviceId the sending device for sender_type 2 (0: none; then all the sender's devices get the push)
     * @return the stored record: the sender's for sender_type 2, the receiver's (or the group's) for 1
     */
    public CompletableFuture<MessageItem> send(long appId, long deviceId, SendMessage m) {
        return send(appId, deviceId, m, false);
    }

    /**
     * As {@link #send}, for a signed-in app user (the gRPC Greeter) rather than the trusted backend: the sender is
     * always {@code caller}, and a system message into a group needs the caller to be a member of it.
     */
    public CompletableFuture<MessageItem> sendAs(Identity caller, SendMessage m) {
        return send(caller.appId(), caller.deviceId(), m.toBuilder().setSenderId(caller.userId()).build(), true);
    }

    private CompletableFuture<MessageItem> send(long appId, long deviceId, SendMessage m, boolean byUser) {
        return switch (m.getSenderType()) {
            case SystemMessageService.SENDER_SYSTEM -> byUser
                    ? system.sendAsUser(appId, m.getSenderId(), m.getReceiverType(), m.getReceiverId(),
                            m.getMessageBody(), m.getClientMsgId())
                    : system.send(appId, m.getSenderId(), m.getReceiverType(), m.getReceiverId(), m.getMessageBody(),
                            m.getClientMsgId());
            case SendMessageService.SENDER_USER -> {
                if (m.getSenderId() <= 0) {
                    throw ImException.invalid("sender_id: " + m.getSenderId() + " (expected: > 0, the sending user)");
                }
                yield users.send(new Identity(appId, m.getSenderId(), deviceId), m);
            }
            default -> throw ImException.invalid("sender_type: " + m.getSenderType()
                    + " (expected: 1 system or 2 user)");
        };
    }
}

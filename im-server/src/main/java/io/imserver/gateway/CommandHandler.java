package io.imserver.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.imserver.auth.Identity;
import java.util.concurrent.CompletableFuture;

/**
 * One command of the protocol: parses its request from {@code Input.data} and runs the use case. Called on a
 * blocking-capable thread; completes with the reply's data, or null for a reply without data.
 */
@FunctionalInterface
interface CommandHandler {
    CompletableFuture<? extends MessageLite> handle(Identity caller, ByteString data)
            throws InvalidProtocolBufferException;
}

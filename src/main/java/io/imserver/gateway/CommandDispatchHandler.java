package io.imserver.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.imserver.messaging.Failures;
import io.imserver.protocol.CommandTypes;
import io.imserver.protocol.ErrorCode;
import io.imserver.protocol.ImException;
import io.imserver.protocol.Outputs;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pb.Input;
import pb.Output;

/**
 * Runs a signed-in connection's commands one at a time, in arrival order, off the event loop; every command gets
 * exactly one reply of its own type. {@code heartbeat} is answered at once.
 *
 * @implNote One command in flight per connection keeps a client's messages in the order it sent them (each gets a
 * higher seq than the one before) without locks. Throughput comes from many connections sharing a group commit.
 * While {@value #HIGH_WATER} commands wait, the connection stops reading: back-pressure instead of unbounded queues.
 */
final class CommandDispatchHandler extends SimpleChannelInboundHandler<Input> {
    private static final Logger log = LoggerFactory.getLogger(CommandDispatchHandler.class);
    static final int HIGH_WATER = 32;
    static final int LOW_WATER = 8;

    private final CommandRegistry commands;
    private final Executor blocking;
    private final ArrayDeque<Input> waiting = new ArrayDeque<>();
    private boolean running;

    CommandDispatchHandler(CommandRegistry commands, Executor blocking) {
        this.commands = commands;
        this.blocking = blocking;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Input input) {
        if (CommandTypes.HEARTBEAT.equals(input.getType())) {
            ctx.writeAndFlush(Outputs.ok(CommandTypes.HEARTBEAT));
            return;
        }
        waiting.add(input);
        if (waiting.size() >= HIGH_WATER) {
            ctx.channel().config().setAutoRead(false);
        }
        if (!running) {
            runNext(ctx);
        }
    }

    private void runNext(ChannelHandlerContext ctx) {
        var input = waiting.poll();
        if (waiting.size() <= LOW_WATER && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
        if (input == null) {
            running = false;
            return;
        }
        running = true;
        var handler = commands.find(input.getType());
        if (handler == null) {
            reply(ctx, Outputs.error(input.getType(), ErrorCode.UNKNOWN_COMMAND, "unknown command '" + input.getType() + "'"));
            return;
        }
        var session = ctx.channel().attr(ChannelSession.KEY).get();
        CompletableFuture<? extends MessageLite> result;
        try {
            result = CompletableFuture.supplyAsync(() -> {
                try {
                    return handler.handle(session.identity(), input.getData());
                } catch (InvalidProtocolBufferException e) {
                    throw ImException.invalid("data is not a valid request for '" + input.getType() + "': "
                            + e.getMessage());
                }
            }, blocking).thenCompose(f -> f);
        } catch (RejectedExecutionException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((data, error) -> {
            var output = error == null
                    ? (data == null ? Outputs.ok(input.getType()) : Outputs.ok(input.getType(), data))
                    : errorOutput(input.getType(), error);
            ctx.executor().execute(() -> reply(ctx, output));
        });
    }

    private void reply(ChannelHandlerContext ctx, Output output) {
        ctx.writeAndFlush(output);
        runNext(ctx);
    }

    private static Output errorOutput(String type, Throwable error) {
        var clientError = Failures.toClientError(error);
        if (clientError != null) {
            log.debug("{} refused: {}", type, clientError.getMessage());
            return Outputs.error(type, clientError);
        }
        log.error("{} failed", type, Failures.unwrap(error));
        return Outputs.error(type, ErrorCode.INTERNAL_ERROR, "internal error; the request may not have taken effect");
    }
}

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
 * Runs a signed-in connection's commands in arrival order and writes exactly one reply per command, in the same
 * order. {@code heartbeat} is answered at once; it takes a token from the connection's rate but is never refused.
 * A command over the connection's or its user's rate is answered {@link ErrorCode#RATE_LIMITED} in its place and
 * not run; it and an unknown command count as violations ({@link ConnectionGuard}).
 *
 * <p>Commands that only queue a write run on the event loop as they arrive, several in flight at once: the single
 * writer commits them in queue order, so a client's messages get increasing seqs in the order it sent them, and
 * many of them share one group commit. A blocking command (a read) starts only when everything before it has
 * completed, off the event loop, and nothing after it starts before it completes: a read sees the client's own
 * earlier writes.
 *
 * @implNote Replies are held in a queue of slots and leave in slot order, whatever order their futures complete in.
 * While {@value #HIGH_WATER} commands are queued or in flight the connection stops reading: back-pressure
 * instead of unbounded queues.
 */
final class CommandDispatchHandler extends SimpleChannelInboundHandler<Input> {
    private static final Logger log = LoggerFactory.getLogger(CommandDispatchHandler.class);
    static final int HIGH_WATER = 64;
    static final int LOW_WATER = 16;

    /** A command's place in the reply order; {@code output} is set once it completes. */
    private static final class Slot {
        Output output;
    }

    private final CommandRegistry commands;
    private final Executor blocking;
    private final Intake intake;
    private final ConnectionGuard guard;
    /** A command read but not started, with its refusal if it was over the rate when it arrived. */
    private record Waiting(Input input, Output refusal) {
    }

    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final ArrayDeque<Slot> replies = new ArrayDeque<>();
    private int inFlight;
    private boolean blockingInFlight;

    CommandDispatchHandler(CommandRegistry commands, Executor blocking, Intake intake, ConnectionGuard guard) {
        this.guard = guard;
        this.commands = commands;
        this.blocking = blocking;
        this.intake = intake;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Input input) {
        if (!intake.isOpen()) {
            // draining: a decoder may still read a frame it had begun; it is not run, not acknowledged, and the
            // client sends it again after reconnecting
            return;
        }
        if (CommandTypes.HEARTBEAT.equals(input.getType())) {
            guard.admit(CommandTypes.HEARTBEAT); // counts, so that heartbeats cannot hide a flood; never refused
            ctx.writeAndFlush(Outputs.ok(CommandTypes.HEARTBEAT));
            return;
        }
        intake.received();
        var refusal = guard.admit(input.getType());
        waiting.add(new Waiting(input, refusal));
        if (refusal != null) {
            guard.violation(ctx, "rate limited");
        }
        startWhatCan(ctx);
        if (waiting.size() + inFlight >= HIGH_WATER) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void startWhatCan(ChannelHandlerContext ctx) {
        while (!waiting.isEmpty() && !blockingInFlight) {
            var next = waiting.peek();
            var command = next.refusal() == null ? commands.find(next.input().getType()) : null;
            boolean isBlocking = command != null && command.blocking();
            if (isBlocking && inFlight > 0) {
                return; // a read waits for every earlier command
            }
            waiting.poll();
            start(ctx, next, command);
        }
    }

    private void start(ChannelHandlerContext ctx, Waiting next, CommandRegistry.Command command) {
        var input = next.input();
        var slot = new Slot();
        replies.add(slot);
        inFlight++;
        if (next.refusal() != null) {
            complete(ctx, slot, false, next.refusal());
            return;
        }
        if (command == null) {
            complete(ctx, slot, false, Outputs.error(input.getType(), ErrorCode.UNKNOWN_COMMAND,
                    "unknown command '" + input.getType() + "'"));
            guard.violation(ctx, "unknown command");
            return;
        }
        var session = ctx.channel().attr(ChannelSession.KEY).get();
        CompletableFuture<? extends MessageLite> result;
        if (command.blocking()) {
            blockingInFlight = true;
            try {
                result = CompletableFuture.supplyAsync(() -> run(command, session, input), blocking)
                        .thenCompose(f -> f);
            } catch (RejectedExecutionException e) {
                result = CompletableFuture.failedFuture(e);
            }
        } else {
            try {
                result = run(command, session, input);
            } catch (RuntimeException e) {
                result = CompletableFuture.failedFuture(e);
            }
        }
        boolean wasBlocking = command.blocking();
        result.whenComplete((data, error) -> {
            var output = error == null
                    ? (data == null ? Outputs.ok(input.getType()) : Outputs.ok(input.getType(), data))
                    : errorOutput(input.getType(), error);
            if (ctx.executor().inEventLoop()) {
                complete(ctx, slot, wasBlocking, output);
            } else {
                ctx.executor().execute(() -> complete(ctx, slot, wasBlocking, output));
            }
        });
    }

    private static CompletableFuture<? extends MessageLite> run(CommandRegistry.Command command, ChannelSession session,
                                                                Input input) {
        try {
            return command.handler().handle(session.identity(), input.getData());
        } catch (InvalidProtocolBufferException e) {
            throw ImException.invalid("data is not a valid request for '" + input.getType() + "': " + e.getMessage());
        }
    }

    private void complete(ChannelHandlerContext ctx, Slot slot, boolean wasBlocking, Output output) {
        slot.output = output;
        inFlight--;
        if (wasBlocking) {
            blockingInFlight = false;
        }
        boolean wrote = false;
        while (!replies.isEmpty() && replies.peek().output != null) {
            ctx.write(replies.poll().output);
            intake.answered();
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        startWhatCan(ctx);
        if (waiting.size() + inFlight <= LOW_WATER && !ctx.channel().config().isAutoRead() && intake.isOpen()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Commands never started on a closed connection will not be answered: the intake stops counting them. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        for (int i = 0; i < waiting.size(); i++) {
            intake.answered();
        }
        waiting.clear();
        super.channelInactive(ctx);
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

    /**
     * The end of the pipeline: a peer that reset its connection or broke the WebSocket framing (already answered
     * with a close frame and its reason) is logged at debug; anything else at warn. The connection closes either way.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException
                || cause instanceof io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException) {
            log.debug("connection {} ended: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("connection {} failed; closing it", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}

package io.imserver.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection gracefully: a close request lets the frames already written (such as a close frame with its
 * reason) reach the socket, half-closes the output, then discards whatever the peer still sends until the peer
 * closes or {@link #LINGER} (2 s) passes. While it lingers, nothing more is read or written, and the handlers behind
 * it get a {@link Closing} event at once so the device stops counting as online.
 *
 * @implNote Closing a socket whose input still holds unread bytes makes the kernel answer with a reset, and a reset
 *     can destroy the close frame before the client reads it: a client that sent a 65 KiB frame saw "connection
 *     reset" instead of close 1009. This is the lingering close of Apache httpd and nginx. A connection whose output
 *     is blocked (a slow consumer) is closed at once: its close frame could not get through anyway.
 */
final class LingeringCloseHandler extends ChannelDuplexHandler {
    static final Duration LINGER = Duration.ofSeconds(2);

    /** Fired inbound when a close begins, before the connection is really closed. */
    enum Closing { EVENT }

    private boolean closing;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            if (!promise.isVoid()) {
                promise.tryFailure(new IllegalStateException("the connection is closing"));
            }
            return;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        var channel = ctx.channel();
        if (closing) {
            channel.closeFuture().addListener(f -> promise.trySuccess());
            return;
        }
        if (!channel.isActive() || !channel.isWritable() || !(channel instanceof DuplexChannel duplex)) {
            ctx.close(promise);
            return;
        }
        closing = true;
        ctx.fireUserEventTriggered(Closing.EVENT);
        channel.config().setAutoRead(true);
        // the caller's promise is completed by the close future alone: handed to this close as well, it would be
        // completed twice when the linger runs out (Netty warns "Failed to mark a promise as success")
        var deadline = ctx.executor().schedule(() -> ctx.close(), LINGER.toMillis(), TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> {
            deadline.cancel(false);
            promise.trySuccess();
        });
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            if (written.isSuccess()) {
                duplex.shutdownOutput();
            } else {
                ctx.close();
            }
        });
    }
}

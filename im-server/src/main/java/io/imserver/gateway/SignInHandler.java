package io.imserver.gateway;

import io.imserver.auth.Identity;
import io.imserver.auth.TokenService;
import io.imserver.cluster.Presence;
import io.imserver.messaging.Failures;
import io.imserver.protocol.CommandTypes;
import io.imserver.protocol.ErrorCode;
import io.imserver.protocol.ImException;
import io.imserver.protocol.Outputs;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pb.Auth;
import pb.Input;

/**
 * The gate: until {@code sign} succeeds nothing passes. A failed sign is answered with its code and the connection
 * closed; other commands before sign get {@link ErrorCode#NOT_SIGNED_IN}, and the connection is closed after
 * {@value #MAX_UNSIGNED_REQUESTS} of them. After sign, a frame whose {@code auth} names another app/user/device
 * is refused with {@link ErrorCode#IDENTITY_MISMATCH} and counted as a violation.
 *
 * <p>A connection not signed in within {@link GatewayLimits#signInTimeout()} of opening is closed: with 1008
 * "{@value #SIGN_IN_DEADLINE_PASSED}" once it is a WebSocket, at once if it never became one.
 */
final class SignInHandler extends SimpleChannelInboundHandler<Input> {
    private static final Logger log = LoggerFactory.getLogger(SignInHandler.class);
    static final int MAX_UNSIGNED_REQUESTS = 3;
    private static final int MAX_HELD_WHILE_SIGNING = 64;
    static final String SIGN_IN_DEADLINE_PASSED = "sign-in deadline passed";

    private final TokenService tokens;
    private final Presence presence;
    private final Executor blocking;
    private final AppRateLimits appRates;
    private final ConnectionGuard guard;
    private ScheduledFuture<?> deadline;
    private boolean upgraded;
    private int unsignedRequests;
    private boolean signing;
    /** Frames that arrived while sign was being checked; replayed in order once it succeeds. */
    private final ArrayDeque<Input> held = new ArrayDeque<>();

    SignInHandler(TokenService tokens, Presence presence, Executor blocking, AppRateLimits appRates,
                  ConnectionGuard guard) {
        this.tokens = tokens;
        this.presence = presence;
        this.blocking = blocking;
        this.appRates = appRates;
        this.guard = guard;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        var timeout = guard.limits().signInTimeout();
        deadline = ctx.executor().schedule(() -> deadlinePassed(ctx), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void deadlinePassed(ChannelHandlerContext ctx) {
        if (ctx.channel().attr(ChannelSession.KEY).get() != null || !ctx.channel().isActive()) {
            return;
        }
        log.debug("closing {}: {}", ctx.channel().remoteAddress(), SIGN_IN_DEADLINE_PASSED);
        if (upgraded) {
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION, SIGN_IN_DEADLINE_PASSED))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Input input) {
        var session = ctx.channel().attr(ChannelSession.KEY).get();
        if (session != null) {
            passSigned(ctx, session, input);
        } else if (signing) {
            if (held.size() >= MAX_HELD_WHILE_SIGNING) {
                ctx.writeAndFlush(Outputs.error(input.getType(), ErrorCode.RATE_LIMITED, "too many frames before sign completed"));
            } else {
                held.add(input);
            }
        } else if (CommandTypes.SIGN.equals(input.getType())) {
            sign(ctx, input);
        } else {
            unsignedRequests++;
            var reply = ctx.writeAndFlush(Outputs.error(input.getType(), ErrorCode.NOT_SIGNED_IN, "not signed in: send sign first"));
            if (unsignedRequests >= MAX_UNSIGNED_REQUESTS) {
                closeWith(ctx, reply, "sign in first");
            }
        }
    }

    private void passSigned(ChannelHandlerContext ctx, ChannelSession session, Input input) {
        if (input.getAuthCount() > 0 && !names(input.getAuth(0), session.identity())) {
            ctx.writeAndFlush(Outputs.error(input.getType(), ErrorCode.IDENTITY_MISMATCH,
                    "this connection is signed in as " + session.identity() + "; auth names someone else"));
            guard.violation(ctx, "identity mismatch");
        } else if (CommandTypes.SIGN.equals(input.getType())) {
            ctx.writeAndFlush(Outputs.ok(CommandTypes.SIGN));
        } else {
            ctx.fireChannelRead(input);
        }
    }

    private static boolean names(Auth auth, Identity identity) {
        return auth.getAppId() == identity.appId() && auth.getUserId() == identity.userId()
                && auth.getDeviceId() == identity.deviceId();
    }

    private void sign(ChannelHandlerContext ctx, Input input) {
        if (input.getAuthCount() == 0) {
            fail(ctx, new ImException(ErrorCode.TOKEN_INVALID, "sign needs an auth entry with app, user, device and token"));
            return;
        }
        var auth = input.getAuth(0);
        signing = true;
        CompletableFuture
                .supplyAsync(() -> {
                    var identity = tokens.verify(auth.getAppId(), auth.getUserId(), auth.getDeviceId(), auth.getToken());
                    return new Signed(identity, appRates.of(identity.appId()));
                }, blocking)
                .whenComplete((signed, error) -> ctx.executor().execute(() -> {
                    signing = false;
                    if (error != null) {
                        var clientError = Failures.toClientError(error);
                        if (clientError == null) {
                            log.error("sign-in check failed", Failures.unwrap(error));
                            clientError = new ImException(ErrorCode.INTERNAL_ERROR, "sign-in could not be checked");
                        }
                        fail(ctx, clientError);
                    } else {
                        signedIn(ctx, signed.identity(), signed.rates());
                    }
                }));
    }

    /** A verified sign-in and the rates its connection gets. */
    private record Signed(Identity identity, AppRateLimits.Rates rates) {
    }

    private void signedIn(ChannelHandlerContext ctx, Identity identity, AppRateLimits.Rates rates) {
        if (!ctx.channel().isActive()) {
            return;
        }
        deadline.cancel(false);
        guard.signedIn(identity, rates);
        var session = new ChannelSession(ctx.channel(), identity);
        ctx.channel().attr(ChannelSession.KEY).set(session);
        // registered before the reply: a message stored after the client sees 200 is pushed to it
        presence.register(session);
        ctx.writeAndFlush(Outputs.ok(CommandTypes.SIGN));
        log.debug("signed in: {} from {}", identity, ctx.channel().remoteAddress());
        Input next;
        while ((next = held.poll()) != null) {
            passSigned(ctx, session, next);
        }
    }

    private void fail(ChannelHandlerContext ctx, ImException e) {
        log.debug("sign refused from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
        held.clear();
        closeWith(ctx, ctx.writeAndFlush(Outputs.error(CommandTypes.SIGN, e)), "sign-in refused");
    }

    private static void closeWith(ChannelHandlerContext ctx, io.netty.channel.ChannelFuture after, String reason) {
        after.addListener(f -> ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION, reason))
                .addListener(ChannelFutureListener.CLOSE));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == LingeringCloseHandler.Closing.EVENT) {
            goOffline(ctx);
        } else if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            upgraded = true;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        goOffline(ctx);
        super.channelInactive(ctx);
    }

    private void goOffline(ChannelHandlerContext ctx) {
        deadline.cancel(false);
        guard.signedOut();
        var session = ctx.channel().attr(ChannelSession.KEY).get();
        if (session != null) {
            presence.unregister(session);
        }
    }
}

package io.imserver.client;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import pb.Auth;
import pb.ConversationReq;
import pb.ConversationResp;
import pb.Input;
import pb.MessageItem;
import pb.MessageRead;
import pb.Output;
import pb.SendMessage;
import pb.SyncReq;
import pb.SyncResp;

/**
 * A client of the IM server: one WebSocket connection signed in as one app/user/device, speaking the protobuf
 * protocol (one binary frame per {@code Input} / {@code Output}).
 *
 * <pre>{@code
 * try (var resources = ClientResources.create()) {
 *     var client = ImClient.create(ImClientOptions.builder("ws://127.0.0.1:9091/ws")
 *             .identity(appId, userId, deviceId, token).build(), resources);
 *     client.onMessage((c, m) -> System.out.println("from " + m.getSenderId() + ": " + m.getMessageBody()));
 *     client.connect().join();                       // fails with ImClientException(code, message) if sign is refused
 *     MessageItem stored = client.sendMessage(message).join();
 *     client.closeAsync().join();
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Every client lives on one event loop of the shared {@link ClientResources}; all its state
 * changes, listener calls and future completions happen there. Methods may be called from any thread. Never block in
 * a listener or in a callback of a returned future (use the {@code ...Async} variants of {@code CompletableFuture}
 * to move work elsewhere).
 *
 * <p><b>Replies.</b> The server answers a connection's requests in arrival order (a heartbeat at once),
 * so replies are matched to requests in order per type. An {@code Output} that answers no open request is a push,
 * given to the {@link PushListener}s ({@code message} pushes also, parsed, to the {@link MessageListener}s).
 *
 * <p><b>Connection.</b> After sign-in a {@code heartbeat} is sent every {@link ImClientOptions#heartbeatInterval()};
 * without reply within {@link ImClientOptions#heartbeatTimeout()} the connection is dropped. After an unexpected close
 * the client reconnects with {@link Backoff} and signs in again (state {@link ConnectionState#RECONNECTING}, then
 * {@link ConnectionState#CONNECTED}); requests open at the time fail with {@link ImClientException#CONNECTION_LOST}
 * (they may or may not have taken effect) and requests made while reconnecting fail at once with
 * {@link ImClientException#NOT_CONNECTED}. No reconnect after {@link #close()}, after a {@code kick} (the same device
 * signed in elsewhere), or when the token is refused on reconnect (401, 403, 404, 419).
 *
 * <p><b>Exactly-once and catch-up.</b> {@link #sendReliably} stamps a client message id and re-sends after a lost
 * connection; the server stores the message once. {@link #catchUp} fetches what a conversation received after a
 * seq. {@link MessageFeed} runs the whole client algorithm on top: gap detection, duplicate removal and catch-up
 * after every reconnect.
 */
public final class ImClient implements AutoCloseable {
    /** Sign-in codes that make retrying pointless: bad token, forbidden, unknown app/user, expired token. */
    private static final List<Integer> FINAL_SIGN_CODES = List.of(401, 403, 404, 419);

    private final ImClientOptions options;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final DoubleSupplier random;
    private final List<PushListener> pushListeners = new CopyOnWriteArrayList<>();
    private final List<MessageListener> messageListeners = new CopyOnWriteArrayList<>();
    private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    // confined to the event loop
    private final ReplyMatcher replies = new ReplyMatcher();
    private Channel channel;
    private boolean signed;
    private boolean everSigned;
    private boolean kicked;
    private Throwable pendingCause;
    private CompletableFuture<Void> connecting;
    private int attempt;
    private ScheduledFuture<?> heartbeat;
    private ScheduledFuture<?> reconnectTask;

    private volatile ConnectionState state = ConnectionState.DISCONNECTED;
    private volatile long reconnects;

    private ImClient(ImClientOptions options, ClientResources resources, DoubleSupplier random) {
        this.options = Objects.requireNonNull(options, "options");
        this.loop = resources.group().next();
        this.random = random;
        var wsConfig = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(options.url())
                .version(WebSocketVersion.V13)
                .allowExtensions(false)
                .maxFramePayloadLength(options.maxFrameBytes())
                .handleCloseFrames(true)
                .sendCloseFrame(WebSocketCloseStatus.NORMAL_CLOSURE)
                .dropPongFrames(true)
                .handshakeTimeoutMillis(options.connectTimeout().toMillis())
                .forceCloseTimeoutMillis(2_000)
                .build();
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(resources.channelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("flush", new FlushConsolidationHandler(256, true))
                                .addLast("http", new HttpClientCodec())
                                .addLast("aggregate", new HttpObjectAggregator(8192))
                                .addLast("websocket", new WebSocketClientProtocolHandler(wsConfig))
                                .addLast("fragments", new WebSocketFrameAggregator(options.maxFrameBytes()))
                                .addLast("client", new Handler(ch));
                    }
                });
    }

    /** A new client (not connected yet: call {@link #connect()}) on one event loop of {@code resources}. */
    public static ImClient create(ImClientOptions options, ClientResources resources) {
        return new ImClient(options, resources, () -> ThreadLocalRandom.current().nextDouble());
    }

    public ImClientOptions options() {
        return options;
    }

    public ConnectionState state() {
        return state;
    }

    /**
     * The event loop this client lives on: tasks run there are serialised with the client's own callbacks (e.g. to
     * schedule a retry without another thread).
     */
    public java.util.concurrent.ScheduledExecutorService executor() {
        return loop;
    }

    /** How many times this client signed in again after losing its connection. */
    public long reconnects() {
        return reconnects;
    }

    /** Adds a listener for every push (any type, including {@code message} and {@code kick}). */
    public ImClient onPush(PushListener listener) {
        pushListeners.add(Objects.requireNonNull(listener));
        return this;
    }

    /** Adds a listener for {@code message} pushes, parsed. */
    public ImClient onMessage(MessageListener listener) {
        messageListeners.add(Objects.requireNonNull(listener));
        return this;
    }

    /** Adds a listener for connection-state changes. */
    public ImClient onStateChange(ConnectionListener listener) {
        connectionListeners.add(Objects.requireNonNull(listener));
        return this;
    }

    /**
     * Connects and signs in. Completes once {@code sign} is answered 200; fails with {@link ImClientException}: the
     * server's code and message when sign is refused, {@link ImClientException#TRANSPORT} when the connection or
     * handshake fails, {@link ImClientException#TIMEOUT}. A failed first connect is not retried (call again); once
     * signed in, lost connections are re-established automatically. Already connected: completes at once.
     */
    public CompletableFuture<Void> connect() {
        var result = new CompletableFuture<Void>();
        onLoop(() -> {
            switch (state) {
                case CONNECTED -> result.complete(null);
                case CLOSED -> result.completeExceptionally(closedError("sign"));
                case CONNECTING, RECONNECTING -> connectingFuture().whenComplete((v, e) -> relay(result, v, e));
                case DISCONNECTED -> {
                    connectingFuture().whenComplete((v, e) -> relay(result, v, e));
                    openChannel();
                }
            }
        }, result);
        return result;
    }

    /**
     * Sends {@code Input{type, data}} and completes with the reply {@code Output}, whatever its code (check
     * {@code getCode() == 200}). Fails only when no reply can come: {@link ImClientException#NOT_CONNECTED},
     * {@link ImClientException#CONNECTION_LOST}, {@link ImClientException#TIMEOUT}.
     *
     * @param data the command's message, or null for none
     */
    public CompletableFuture<Output> request(String type, MessageLite data) {
        Objects.requireNonNull(type, "type");
        var result = new CompletableFuture<Output>();
        if (loop.inEventLoop()) {
            doRequest(type, data, result);
        } else {
            onLoop(() -> doRequest(type, data, result), result);
        }
        return result;
    }

    /**
     * Sends {@code type} and parses the reply's data with {@code parser}; a reply with a code other than 200 fails
     * the future with {@link ImClientException} carrying that code and message. Empty reply data parses as the
     * message's default instance.
     */
    public <T> CompletableFuture<T> call(String type, MessageLite data, Parser<T> parser) {
        return request(type, data).thenApply(out -> parse(out, parser));
    }

    /** {@code sendmessage}: completes with the sender's stored record (id, conversation, time) once it is durable. */
    public CompletableFuture<MessageItem> sendMessage(SendMessage message) {
        return call("sendmessage", message, MessageItem.parser());
    }

    /**
     * {@code sendmessage} that survives a lost connection: stamps a {@code client_msg_id} when the message has none,
     * and when the connection drops before the reply (or is down when called), waits for the reconnect and sends
     * the same message again, at most {@code attempts} times in all. The server stores and pushes it once, and
     * answers a repeat with the record of the first attempt. Fails like {@link #sendMessage} once attempts run out,
     * or at once on a reply with an error code, or after {@link #close()} or a kick.
     */
    public CompletableFuture<MessageItem> sendReliably(SendMessage message, int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts: " + attempts + " (expected: >= 1)");
        }
        var stamped = message.getClientMsgId().isEmpty()
                ? message.toBuilder().setClientMsgId(java.util.UUID.randomUUID().toString()).build()
                : message;
        return sendAttempt(stamped, attempts);
    }

    private CompletableFuture<MessageItem> sendAttempt(SendMessage message, int attemptsLeft) {
        return sendMessage(message).handle((item, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(item);
            }
            var cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            boolean connectionTrouble = cause instanceof ImClientException e
                    && (e.code() == ImClientException.CONNECTION_LOST || e.code() == ImClientException.NOT_CONNECTED);
            if (!connectionTrouble || attemptsLeft <= 1) {
                return CompletableFuture.<MessageItem>failedFuture(cause);
            }
            // connect() waits for the reconnect in progress; after close() or a kick it fails, and so does the send
            return connect().thenCompose(v -> sendAttempt(message, attemptsLeft - 1));
        }).thenCompose(f -> f);
    }

    /**
     * Catch-up: every message of a conversation after {@code afterSeq}, oldest first, fetched by seq-based
     * {@code sync} in pages of 100 until the server has no more. Nothing is marked read.
     */
    public CompletableFuture<List<MessageItem>> catchUp(long conversationId, long afterSeq) {
        var collected = new java.util.ArrayList<MessageItem>();
        return catchUpPage(conversationId, afterSeq, collected);
    }

    private CompletableFuture<List<MessageItem>> catchUpPage(long conversationId, long afterSeq,
                                                             List<MessageItem> collected) {
        return sync(SyncReq.newBuilder().setConversationId(conversationId).setAfterSeq(afterSeq).setLimit(100).build())
                .thenCompose(page -> {
                    collected.addAll(page.getMessagesList());
                    if (!page.getHasMore() || page.getMessagesCount() == 0) {
                        return CompletableFuture.completedFuture(List.copyOf(collected));
                    }
                    long last = page.getMessages(page.getMessagesCount() - 1).getSeq();
                    return catchUpPage(conversationId, last, collected);
                });
    }

    /** {@code sync}: one page of a conversation's messages, newest first. */
    public CompletableFuture<SyncResp> sync(SyncReq request) {
        return call("sync", request, SyncResp.parser());
    }

    /** {@code getconversationlist}: one page of this user's conversations. */
    public CompletableFuture<ConversationResp> conversations(long limit, long offset) {
        return call("getconversationlist", ConversationReq.newBuilder().setLimit(limit).setOffset(offset).build(),
                ConversationResp.parser());
    }

    /**
     * {@code getconversationlist} with {@code since_version}: up to {@code limit} conversations changed after that
     * version, oldest change first; ask again with the reply's version while it has more.
     */
    public CompletableFuture<ConversationResp> conversationChanges(long sinceVersion, long limit) {
        return call("getconversationlist",
                ConversationReq.newBuilder().setSinceVersion(sinceVersion).setLimit(limit).build(),
                ConversationResp.parser());
    }

    /** {@code messageread}: marks the conversation read up to {@code messageId}. */
    public CompletableFuture<Void> messageRead(long messageId) {
        return request("messageread", MessageRead.newBuilder().setMessageId(messageId).build())
                .thenApply(out -> {
                    parse(out, null);
                    return null;
                });
    }

    /**
     * Closes for good (no reconnect): sends a WebSocket close frame and closes the socket. Open requests fail with
     * {@link ImClientException#CLOSED}. The future completes when the socket is closed.
     */
    public CompletableFuture<Void> closeAsync() {
        try {
            loop.execute(this::doClose);
        } catch (RejectedExecutionException e) {
            state = ConnectionState.CLOSED;
            closed.complete(null);
        }
        return closed;
    }

    /** Starts {@link #closeAsync()} without waiting (safe on an event-loop thread). */
    @Override
    public void close() {
        closeAsync();
    }

    // ---------------------------------------------------------------- event-loop side

    private void onLoop(Runnable task, CompletableFuture<?> failOnReject) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            failOnReject.completeExceptionally(closedError("client"));
        }
    }

    private static <T> void relay(CompletableFuture<T> target, T value, Throwable error) {
        if (error != null) {
            target.completeExceptionally(error);
        } else {
            target.complete(value);
        }
    }

    private CompletableFuture<Void> connectingFuture() {
        if (connecting == null) {
            connecting = new CompletableFuture<>();
        }
        return connecting;
    }

    private ImClientException closedError(String type) {
        return new ImClientException(type, ImClientException.CLOSED, "the client is closed");
    }

    private void setState(ConnectionState next, Throwable cause) {
        if (state == next) {
            return;
        }
        state = next;
        for (var l : connectionListeners) {
            try {
                l.onStateChange(this, next, cause);
            } catch (RuntimeException e) {
                // a listener's failure must not break the connection
            }
        }
    }

    private void openChannel() {
        reconnectTask = null;
        if (state == ConnectionState.CLOSED) {
            return;
        }
        setState(everSigned ? ConnectionState.RECONNECTING : ConnectionState.CONNECTING, null);
        var remote = new InetSocketAddress(options.url().getHost(), options.port());
        var future = options.localAddress() == null
                ? bootstrap.connect(remote)
                : bootstrap.connect(remote, new InetSocketAddress(options.localAddress(), 0));
        var ch = future.channel();
        channel = ch;
        future.addListener(f -> {
            if (!f.isSuccess()) {
                pendingCauseIfNone(ch, new ImClientException("connect", ImClientException.TRANSPORT,
                        "cannot connect to " + remote + ": " + f.cause(), f.cause()));
                channelClosed(ch);
            }
        });
    }

    private void pendingCauseIfNone(Channel ch, Throwable cause) {
        if (ch == channel && pendingCause == null) {
            pendingCause = cause;
        }
    }

    private void handshakeDone(Channel ch) {
        if (ch != channel) {
            return;
        }
        var auth = Auth.newBuilder().setAppId(options.appId()).setUserId(options.userId())
                .setDeviceId(options.deviceId()).setToken(options.token()).build();
        var reply = new CompletableFuture<Output>();
        replies.register("sign", reply);
        write(ch, Input.newBuilder().setType("sign").addAuth(auth).build());
        var timeout = loop.schedule(() -> {
            if (!reply.isDone() && ch == channel) {
                pendingCauseIfNone(ch, new ImClientException("sign", ImClientException.TIMEOUT,
                        "no sign reply within " + options.connectTimeout().toMillis() + " ms"));
                ch.close();
            }
        }, options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        reply.whenComplete((out, error) -> {
            timeout.cancel(false);
            if (out != null) {
                signReplied(ch, out);
            }
        });
    }

    private void signReplied(Channel ch, Output out) {
        if (ch != channel) {
            return;
        }
        if (out.getCode() != 200) {
            pendingCauseIfNone(ch, new ImClientException("sign", out.getCode(), out.getMessage()));
            ch.close();
            return;
        }
        signed = true;
        if (everSigned) {
            reconnects++;
        }
        everSigned = true;
        attempt = 0;
        startHeartbeat(ch);
        setState(ConnectionState.CONNECTED, null);
        var c = connecting;
        connecting = null;
        if (c != null) {
            c.complete(null);
        }
    }

    private void startHeartbeat(Channel ch) {
        long interval = options.heartbeatInterval().toMillis();
        long first = Math.max(1, (long) (interval * (0.5 + 0.5 * random.getAsDouble())));
        heartbeat = loop.scheduleAtFixedRate(() -> sendHeartbeat(ch), first, interval, TimeUnit.MILLISECONDS);
    }

    private void sendHeartbeat(Channel ch) {
        if (ch != channel || !signed) {
            return;
        }
        var reply = new CompletableFuture<Output>();
        replies.register("heartbeat", reply);
        write(ch, Input.newBuilder().setType("heartbeat").build());
        loop.schedule(() -> {
            if (!reply.isDone() && ch == channel) {
                pendingCauseIfNone(ch, new ImClientException("heartbeat", ImClientException.TIMEOUT,
                        "no heartbeat reply within " + options.heartbeatTimeout().toMillis() + " ms"));
                ch.close();
            }
        }, options.heartbeatTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void doRequest(String type, MessageLite data, CompletableFuture<Output> result) {
        var ch = channel;
        if (!signed || ch == null) {
            result.completeExceptionally(new ImClientException(type, ImClientException.NOT_CONNECTED,
                    "not signed in (state " + state + ")"));
            return;
        }
        replies.register(type, result);
        var input = Input.newBuilder().setType(type);
        if (data != null) {
            input.setData(data.toByteString());
        }
        write(ch, input.build());
        long timeout = options.requestTimeout().toMillis();
        if (timeout > 0) {
            loop.schedule(() -> {
                result.completeExceptionally(new ImClientException(type, ImClientException.TIMEOUT,
                        "no reply within " + timeout + " ms"));
            }, timeout, TimeUnit.MILLISECONDS);
        }
    }

    private static void write(Channel ch, Input input) {
        int size = input.getSerializedSize();
        ByteBuf buf = ch.alloc().heapBuffer(size, size);
        try {
            var out = CodedOutputStream.newInstance(buf.array(), buf.arrayOffset() + buf.writerIndex(), size);
            input.writeTo(out);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            buf.release();
            throw new UncheckedIOException(e);
        }
        buf.writerIndex(buf.writerIndex() + size);
        ch.writeAndFlush(new BinaryWebSocketFrame(buf), ch.voidPromise());
    }

    private void received(Channel ch, Output out) {
        if (ch != channel) {
            return;
        }
        if (replies.complete(out)) {
            return;
        }
        if ("kick".equals(out.getType())) {
            kicked = true;
            pendingCauseIfNone(ch, new ImClientException("kick", out.getCode(), out.getMessage()));
        }
        for (var l : pushListeners) {
            l.onPush(this, out);
        }
        if (!messageListeners.isEmpty() && "message".equals(out.getType())) {
            MessageItem item;
            try {
                item = MessageItem.parseFrom(out.getData());
            } catch (InvalidProtocolBufferException e) {
                return;
            }
            for (var l : messageListeners) {
                l.onMessage(this, item);
            }
        }
    }

    private void channelClosed(Channel ch) {
        if (ch != channel) {
            return;
        }
        channel = null;
        signed = false;
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
        Throwable cause = pendingCause != null ? pendingCause
                : new ImClientException("connection", ImClientException.CONNECTION_LOST, "the connection closed");
        pendingCause = null;
        int code = state == ConnectionState.CLOSED ? ImClientException.CLOSED : ImClientException.CONNECTION_LOST;
        replies.failAll(type -> new ImClientException(type, code, "the connection closed before the reply", cause));

        if (state == ConnectionState.CLOSED) {
            failConnecting(closedError("sign"));
            closed.complete(null);
            return;
        }
        boolean finalRefusal = cause instanceof ImClientException e && e.type().equals("sign")
                && FINAL_SIGN_CODES.contains(e.code());
        if (kicked || (everSigned && (!options.autoReconnect() || finalRefusal))) {
            setState(ConnectionState.CLOSED, cause);
            failConnecting(cause);
            closed.complete(null);
            return;
        }
        if (!everSigned) {
            // a first connect() that failed: report it, do not retry
            setState(ConnectionState.DISCONNECTED, cause);
            failConnecting(cause);
            return;
        }
        setState(ConnectionState.RECONNECTING, cause);
        long delay = options.reconnect().delayMillis(attempt++, random);
        reconnectTask = loop.schedule(this::openChannel, delay, TimeUnit.MILLISECONDS);
    }

    private void failConnecting(Throwable cause) {
        var c = connecting;
        connecting = null;
        if (c != null) {
            c.completeExceptionally(cause);
        }
    }

    private void doClose() {
        if (state == ConnectionState.CLOSED) {
            if (channel == null) {
                closed.complete(null);
            }
            return;
        }
        setState(ConnectionState.CLOSED, null);
        if (reconnectTask != null) {
            reconnectTask.cancel(false);
            reconnectTask = null;
        }
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
        if (channel != null) {
            channel.close();
        } else {
            failConnecting(closedError("sign"));
            closed.complete(null);
        }
    }

    static <T> T parse(Output out, Parser<T> parser) {
        if (out.getCode() != 200) {
            throw new ImClientException(out.getType(), out.getCode(), out.getMessage());
        }
        if (parser == null) {
            return null;
        }
        try {
            return parser.parseFrom(out.getData());
        } catch (InvalidProtocolBufferException e) {
            throw new ImClientException(out.getType(), ImClientException.TRANSPORT,
                    "reply data is not the expected message: " + e.getMessage(), e);
        }
    }

    /** The pipeline's last handler: hands frames and connection events of one channel to the client. */
    private final class Handler extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final Channel ch;

        Handler(Channel ch) {
            this.ch = ch;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                handshakeDone(ch);
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                pendingCauseIfNone(ch, new ImClientException("connect", ImClientException.TIMEOUT,
                        "WebSocket handshake timed out"));
                ctx.close();
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof BinaryWebSocketFrame) {
                Output out;
                try {
                    out = Output.parseFrom(frame.content().nioBuffer());
                } catch (InvalidProtocolBufferException e) {
                    return;
                }
                received(ch, out);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            channelClosed(ch);
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            pendingCauseIfNone(ch, new ImClientException("connection", ImClientException.TRANSPORT,
                    String.valueOf(cause), cause));
            ctx.close();
        }
    }
}

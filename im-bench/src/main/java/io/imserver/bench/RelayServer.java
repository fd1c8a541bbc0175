package io.imserver.bench;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import pb.Input;
import pb.MessageItem;
import pb.Output;
import pb.SendMessage;

/**
 * The reference ceiling: a bare Netty WebSocket relay with no storage, no authentication and no per-connection
 * command queue. It speaks just enough of the protocol for the same {@code ImClient}s to drive it with the same load:
 * {@code sign} registers the connection under the auth's user id (token not checked) and answers 200;
 * {@code heartbeat} is answered; {@code sendmessage} reads the receiver id, answers the sender with a
 * {@code MessageItem} (a counter as id) and forwards the same item as a {@code message} push to the receiver's
 * connection. Anything else gets 405. Runs on the same Netty version, transport and flush consolidation as the server.
 */
final class RelayServer implements Target {
    private static final AttributeKey<Long> USER = AttributeKey.valueOf(RelayServer.class, "user");

    private final EventLoopGroup group;
    private final Channel server;
    private final ConcurrentHashMap<Long, Channel> users = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final int port;

    private RelayServer(int threads) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("relay", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        var handler = new RelayHandler();
        var ws = WebSocketServerProtocolConfig.newBuilder().websocketPath("/ws").maxFramePayloadLength(64 * 1024)
                .checkStartsWith(false).handleCloseFrames(true).dropPongFrames(true).build();
        server = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new FlushConsolidationHandler(64, true))
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(8192))
                                .addLast(new WebSocketServerProtocolHandler(ws))
                                .addLast(handler);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Starts the relay on a free loopback port; {@code threads} event loops (0: Netty's default). */
    static RelayServer start(int threads) throws InterruptedException {
        return new RelayServer(threads);
    }

    @Override
    public List<String> wsUrls() {
        return List.of("ws://127.0.0.1:" + port + "/ws");
    }

    @Override
    public AdminApi admin() {
        return null;
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public boolean isServer() {
        return false;
    }

    @Override
    public String describe() {
        return "bare Netty relay (in-process) " + wsUrls().get(0);
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static void send(Channel ch, Output out) {
        int size = out.getSerializedSize();
        ByteBuf buf = ch.alloc().heapBuffer(size, size);
        try {
            var cos = CodedOutputStream.newInstance(buf.array(), buf.arrayOffset() + buf.writerIndex(), size);
            out.writeTo(cos);
        } catch (IOException e) {
            buf.release();
            return;
        }
        buf.writerIndex(buf.writerIndex() + size);
        ch.writeAndFlush(new BinaryWebSocketFrame(buf), ch.voidPromise());
    }

    @ChannelHandler.Sharable
    private final class RelayHandler extends SimpleChannelInboundHandler<BinaryWebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, BinaryWebSocketFrame frame) {
            Input in;
            try {
                in = Input.parseFrom(frame.content().nioBuffer());
            } catch (InvalidProtocolBufferException e) {
                send(ctx.channel(), Output.newBuilder().setType("error").setCode(422).setMessage("bad frame").build());
                return;
            }
            switch (in.getType()) {
                case "sign" -> {
                    long user = in.getAuthCount() > 0 ? in.getAuth(0).getUserId() : 0;
                    ctx.channel().attr(USER).set(user);
                    users.put(user, ctx.channel());
                    send(ctx.channel(), Output.newBuilder().setType("sign").setCode(200).setMessage("ok").build());
                }
                case "heartbeat" ->
                        send(ctx.channel(), Output.newBuilder().setType("heartbeat").setCode(200).setMessage("ok").build());
                case "sendmessage" -> relay(ctx.channel(), in);
                default -> send(ctx.channel(), Output.newBuilder().setType(in.getType()).setCode(405)
                        .setMessage("the relay knows sign, heartbeat and sendmessage only").build());
            }
        }

        private void relay(Channel from, Input in) {
            SendMessage m;
            try {
                m = SendMessage.parseFrom(in.getData());
            } catch (InvalidProtocolBufferException e) {
                send(from, Output.newBuilder().setType("sendmessage").setCode(400).setMessage("bad data").build());
                return;
            }
            Long sender = from.attr(USER).get();
            var item = MessageItem.newBuilder().setId(ids.incrementAndGet()).setSenderId(sender == null ? 0 : sender)
                    .setReceiverType(m.getReceiverType()).setReceiverId(m.getReceiverId())
                    .setMessageBody(m.getMessageBody()).setSendTime(System.currentTimeMillis()).build();
            var data = item.toByteString();
            send(from, Output.newBuilder().setType("sendmessage").setCode(200).setMessage("ok").setData(data).build());
            var to = users.get(m.getReceiverId());
            if (to != null) {
                send(to, Output.newBuilder().setType("message").setCode(200).setMessage("ok").setData(data).build());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            Long user = ctx.channel().attr(USER).get();
            if (user != null) {
                users.remove(user, ctx.channel());
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

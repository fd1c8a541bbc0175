package io.imserver.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Serves the web chat app at {@code /} (its page, script and style sheet, built from {@code clients/web} into
 * {@code static/app/}) and the seed-compatible debug page at {@code /seed.html} with what it loads: its script, the
 * {@code .proto} the server is built from, and protobuf.js from its WebJar. Everything else but {@code /ws} is 404;
 * {@code /ws} passes on to the WebSocket handshake.
 */
@ChannelHandler.Sharable
final class TestPageHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final String PROTOBUFJS = "META-INF/resources/webjars/protobufjs/7.5.4/dist/protobuf.min.js";

    private static final String HTML = "text/html; charset=utf-8";
    private static final String JAVASCRIPT = "text/javascript; charset=utf-8";

    private record Resource(byte[] bytes, String contentType) {
    }

    private final String webSocketPath;
    private final Map<String, Resource> resources = new HashMap<>();

    TestPageHandler(String webSocketPath) {
        super(false);
        this.webSocketPath = webSocketPath;
        var app = load("static/app/index.html", HTML);
        resources.put("/", app);
        resources.put("/index.html", app);
        resources.put("/app.js", load("static/app/app.js", JAVASCRIPT));
        resources.put("/app.css", load("static/app/app.css", "text/css; charset=utf-8"));
        resources.put("/seed.html", load("static/seed.html", HTML));
        resources.put("/seed.js", load("static/seed.js", JAVASCRIPT));
        resources.put("/im.proto", load("pb/im.proto", "text/plain; charset=utf-8"));
        resources.put("/protobuf.min.js", load(PROTOBUFJS, JAVASCRIPT));
    }

    private static Resource load(String path, String contentType) {
        try (var in = TestPageHandler.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + path + " is missing from the classpath");
            }
            return new Resource(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + path, e);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        var path = new QueryStringDecoder(request.uri()).path();
        if (path.equals(webSocketPath)) {
            ctx.fireChannelRead(request);
            return;
        }
        try {
            var resource = request.method() == HttpMethod.GET ? resources.get(path) : null;
            var response = resource == null
                    ? new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.NOT_FOUND,
                            Unpooled.copiedBuffer("not found\n", java.nio.charset.StandardCharsets.UTF_8))
                    : new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK,
                            Unpooled.wrappedBuffer(resource.bytes()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE,
                    resource == null ? "text/plain; charset=utf-8" : resource.contentType());
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            HttpUtil.setContentLength(response, response.content().readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            var written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        } finally {
            request.release();
        }
    }
}

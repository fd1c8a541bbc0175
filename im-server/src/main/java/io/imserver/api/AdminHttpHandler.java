package io.imserver.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imserver.messaging.Failures;
import io.imserver.protocol.ImException;
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
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP endpoint: {@code /healthz} and {@code /metrics} without auth; everything under {@code /api/v1}
 * needs {@code Authorization: Bearer <admin token>}. Errors are {@code {"error": "..."}} with a 4xx/5xx status.
 */
@ChannelHandler.Sharable
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);

    private final ObjectMapper json;
    private final AdminRoutes routes;
    private final byte[] adminToken;
    private final Supplier<Health> health;
    private final Supplier<String> metrics;
    private final Executor blocking;

    AdminHttpHandler(ObjectMapper json, AdminRoutes routes, String adminToken, Supplier<Health> health,
                     Supplier<String> metrics, Executor blocking) {
        this.json = json;
        this.routes = routes;
        this.adminToken = ("Bearer " + adminToken).getBytes(StandardCharsets.UTF_8);
        this.health = health;
        this.metrics = metrics;
        this.blocking = blocking;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        var decoded = new QueryStringDecoder(request.uri());
        var path = decoded.path();
        var method = request.method();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (path.equals("/healthz") && method.equals(HttpMethod.GET)) {
            CompletableFuture.supplyAsync(health, blocking).whenComplete((h, e) -> {
                boolean ok = e == null && h.ok();
                var node = json.createObjectNode().put("status", ok ? "ok" : "unavailable");
                if (h != null) {
                    h.checks().forEach((k, v) -> node.set(k, json.valueToTree(v)));
                } else {
                    node.put("error", e.getMessage());
                }
                send(ctx, keepAlive, ok ? 200 : 503, node);
            });
            return;
        }
        if (path.equals("/metrics") && method.equals(HttpMethod.GET)) {
            var body = metrics.get().getBytes(StandardCharsets.UTF_8);
            write(ctx, keepAlive, 200, "text/plain; version=0.0.4; charset=utf-8", body);
            return;
        }
        if (path.equals(OpenApi.PATH) && method.equals(HttpMethod.GET)) {
            write(ctx, keepAlive, 200, "application/json", OpenApi.document());
            return;
        }
        if (!authorized(request)) {
            send(ctx, keepAlive, 401, error("missing or wrong admin token (expected: Authorization: Bearer <token>)"));
            return;
        }
        JsonNode body;
        try {
            body = request.content().isReadable()
                    ? json.readTree(request.content().toString(StandardCharsets.UTF_8))
                    : json.createObjectNode();
            if (body == null || body.isMissingNode()) {
                body = json.createObjectNode();
            }
            if (!body.isObject()) {
                send(ctx, keepAlive, 400, error("body: expected a JSON object"));
                return;
            }
        } catch (JsonProcessingException e) {
            send(ctx, keepAlive, 400, error("body is not valid JSON: " + e.getOriginalMessage()));
            return;
        }
        var requestBody = body;
        CompletableFuture.supplyAsync(() -> routes.route(method, path, decoded.parameters(), requestBody), blocking)
                .whenComplete((reply, e) -> {
                    if (e == null) {
                        send(ctx, keepAlive, reply.status(), reply.body());
                    } else {
                        failed(ctx, keepAlive, method, path, e);
                    }
                });
    }

    private void failed(ChannelHandlerContext ctx, boolean keepAlive, HttpMethod method, String path, Throwable e) {
        var cause = Failures.unwrap(e);
        if (cause instanceof AdminRoutes.NoRoute noRoute) {
            send(ctx, keepAlive, noRoute.status, error(noRoute.getMessage()));
            return;
        }
        ImException clientError = Failures.toClientError(e);
        if (clientError == null) {
            log.error("admin {} {} failed", method, path, cause);
            send(ctx, keepAlive, 500, error("internal error"));
            return;
        }
        int status = switch (clientError.code()) {
            case INVALID_REQUEST -> 400;
            case NOT_FOUND -> 404;
            case FORBIDDEN, REJECTED -> 403;
            case TOKEN_INVALID, TOKEN_EXPIRED -> 401;
            case SERVER_BUSY -> 503;
            case GROUP_FULL -> 409;
            default -> 400;
        };
        send(ctx, keepAlive, status, error(clientError.getMessage()));
    }

    private boolean authorized(FullHttpRequest request) {
        var header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), adminToken);
    }

    private JsonNode error(String message) {
        return json.createObjectNode().put("error", message);
    }

    private void send(ChannelHandlerContext ctx, boolean keepAlive, int status, JsonNode body) {
        try {
            write(ctx, keepAlive, status, "application/json", json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON reply", e);
        }
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, int status, String contentType, byte[] body) {
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setContentLength(response, body.length);
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}

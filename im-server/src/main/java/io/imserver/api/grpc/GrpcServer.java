package io.imserver.api.grpc;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.imserver.api.AdminUseCases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The business gRPC API on one port (default 127.0.0.1:9092): {@code pb.Greeter} (token of an app user in
 * metadata), {@code pb.Admin} (admin token in metadata), gRPC health checking ({@code grpc.health.v1.Health}: SERVING
 * for "", "pb.Greeter" and "pb.Admin" while the node runs) and server reflection (v1).
 */
public final class GrpcServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);

    private final Server server;
    private final HealthStatusManager health = new HealthStatusManager();

    public GrpcServer(String host, int port, String adminToken, AdminUseCases useCases, Executor blocking) {
        var greeter = new GreeterService(useCases.tokens(), useCases.messages());
        var admin = new AdminGrpcService(useCases);
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .executor(blocking)
                .addService(ServerInterceptors.intercept(greeter, new MetadataInterceptor()))
                .addService(ServerInterceptors.intercept(admin, new AdminTokenInterceptor(adminToken)))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve gRPC on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(pb.GreeterGrpc.SERVICE_NAME, ServingStatus.SERVING);
        health.setStatus(pb.AdminGrpc.SERVICE_NAME, ServingStatus.SERVING);
        log.info("gRPC API on {}:{} (pb.Greeter, pb.Admin, health, reflection)", host, port());
    }

    public int port() {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    @Override
    public void close() {
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
    }
}

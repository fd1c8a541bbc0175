package io.imserver.app;

import io.imserver.gateway.AppRateLimits;
import io.imserver.gateway.GatewayLimits;
import io.imserver.messaging.DirectoryService;

/** An app's own command rates where it set them (admin API), else the server's, value by value. */
final class AppRateSettings implements AppRateLimits {
    private final DirectoryService directory;
    private final GatewayLimits server;

    AppRateSettings(DirectoryService directory, GatewayLimits server) {
        this.directory = directory;
        this.server = server;
    }

    @Override
    public Rates of(long appId) {
        var own = directory.limitsOf(appId);
        return new Rates(
                new GatewayLimits.Rate(or(own.connPerSecond(), server.connectionRate().perSecond()),
                        or(own.connBurst(), server.connectionRate().burst())),
                new GatewayLimits.Rate(or(own.userPerSecond(), server.userRate().perSecond()),
                        or(own.userBurst(), server.userRate().burst())));
    }

    private static int or(int own, int server) {
        return own > 0 ? own : server;
    }
}

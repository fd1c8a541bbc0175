package io.imserver.gateway;

/**
 * The command rates of an app's connections and users: the app's own settings where it has them, else the server's
 * ({@link GatewayLimits}). Asked once per sign-in, off the event loop; a change applies to connections signed in
 * after it.
 */
@FunctionalInterface
public interface AppRateLimits {
    /** The rates of a connection and of a user of an app. */
    record Rates(GatewayLimits.Rate connection, GatewayLimits.Rate user) {
    }

    Rates of(long appId);
}

package io.imserver.store;

/**
 * An app's own command rates: per connection and per user, each a rate per second and a burst. 0 means "the
 * server's setting".
 */
public record AppLimits(int connPerSecond, int connBurst, int userPerSecond, int userBurst) {
    /** No setting of the app's own: the server's apply. */
    public static final AppLimits NONE = new AppLimits(0, 0, 0, 0);
}

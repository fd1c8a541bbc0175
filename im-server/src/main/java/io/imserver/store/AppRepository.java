package io.imserver.store;

import java.util.Optional;

/** Apps (tenants). */
public interface AppRepository {
    Optional<App> find(long appId);

    /** Creates the app with {@code secretIfNew}, or renames it keeping its secret. */
    App upsert(long appId, String name, String secretIfNew, long nowMs);

    /** Most members one group of the app may have; 0 when the app does not exist. */
    int maxGroupMembers(long appId);

    /** @return whether the app exists */
    boolean setMaxGroupMembers(long appId, int max, long nowMs);

    /** The app's own rates; {@link AppLimits#NONE} for an app without any (or no such app). */
    AppLimits limits(long appId);

    /** Stores the app's own rates; false when the app does not exist. */
    boolean setLimits(long appId, AppLimits limits, long nowMs);
}

package io.imserver.auth;

/** Who a connection is after sign: one device of one user of one app. */
public record Identity(long appId, long userId, long deviceId) {
    @Override
    public String toString() {
        return "app " + appId + " user " + userId + " device " + deviceId;
    }
}

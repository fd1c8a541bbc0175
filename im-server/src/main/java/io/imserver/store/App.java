package io.imserver.store;

/** A tenant: one business app, with the secret that signs its users' tokens. Times are Unix ms. */
public record App(long appId, String name, String secret, long createdAt, long updatedAt) {
}

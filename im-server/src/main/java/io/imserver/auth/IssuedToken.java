package io.imserver.auth;

/** A signed token and its expiry in Unix seconds. */
public record IssuedToken(String token, long expiresAt) {
}

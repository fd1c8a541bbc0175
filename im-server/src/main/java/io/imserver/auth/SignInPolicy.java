package io.imserver.auth;

/**
 * Refusals beyond the token itself, checked at every sign-in: a disabled app, a user whose tokens were revoked.
 * {@link #ALLOW} refuses nothing.
 */
@FunctionalInterface
public interface SignInPolicy {
    SignInPolicy ALLOW = (appId, userId, issuedAtMs) -> { };

    /**
     * @param issuedAtMs when the token was issued (Unix ms)
     * @throws io.imserver.protocol.ImException when sign-in is refused
     */
    void check(long appId, long userId, long issuedAtMs);
}

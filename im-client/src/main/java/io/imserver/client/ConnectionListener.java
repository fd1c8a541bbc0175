package io.imserver.client;

/**
 * Told about every change of an {@link ImClient}'s {@link ConnectionState}. Called on the client's event-loop thread:
 * return quickly and never block (send follow-up requests asynchronously).
 */
@FunctionalInterface
public interface ConnectionListener {
    /**
     * @param client the client whose state changed
     * @param state the new state
     * @param cause why the connection ended ({@link ImClientException} or an I/O error), or null
     */
    void onStateChange(ImClient client, ConnectionState state, Throwable cause);
}

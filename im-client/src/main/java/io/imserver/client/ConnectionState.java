package io.imserver.client;

/** Where an {@link ImClient} is in its life. */
public enum ConnectionState {
    /** Created, or the last {@code connect()} failed; {@code connect()} may be called. */
    DISCONNECTED,
    /** Opening the socket, doing the WebSocket handshake, or waiting for the sign reply. */
    CONNECTING,
    /** Signed in: requests can be sent, pushes arrive. */
    CONNECTED,
    /** The connection dropped unexpectedly; a reconnect is scheduled (backoff) or under way. */
    RECONNECTING,
    /** Closed for good: by {@code close()}, by a {@code kick} (signed in elsewhere), or sign-in refused on reconnect. */
    CLOSED
}

package io.imserver.client;

/**
 * A request or sign-in that did not succeed: either the server's error reply ({@link #code()} is the server's
 * {@code Output.code}, e.g. 401 bad token, 404 not found, 503 busy) or a client-side failure with a negative code:
 * {@link #NOT_CONNECTED}, {@link #CONNECTION_LOST}, {@link #TIMEOUT}, {@link #CLOSED}.
 */
public final class ImClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The client is not signed in (not connected yet, reconnecting, or closed); nothing was sent. */
    public static final int NOT_CONNECTED = -1;
    /** The connection closed before the reply came; the request may or may not have taken effect. */
    public static final int CONNECTION_LOST = -2;
    /** No reply within the request timeout; the request may or may not have taken effect. */
    public static final int TIMEOUT = -3;
    /** The client was closed by its owner. */
    public static final int CLOSED = -4;
    /** The transport failed (connect refused, handshake failed, I/O error). */
    public static final int TRANSPORT = -5;

    private final int code;
    private final String type;

    public ImClientException(String type, int code, String message) {
        this(type, code, message, null);
    }

    public ImClientException(String type, int code, String message, Throwable cause) {
        super(type + ": " + code + " " + message, cause);
        this.code = code;
        this.type = type;
    }

    /** The server's error code (positive) or a client-side code (negative). */
    public int code() {
        return code;
    }

    /** The request type this failure belongs to, e.g. {@code sign} or {@code sendmessage}. */
    public String type() {
        return type;
    }

    /** True when the server refused the request itself (it answered with an error code). */
    public boolean isServerError() {
        return code > 0;
    }
}

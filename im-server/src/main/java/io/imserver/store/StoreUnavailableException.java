package io.imserver.store;

/**
 * The database could not be reached, did not answer in time or could not store (disk full): the operation did not
 * take effect, or (a write that ran out of time) its outcome is unknown; a send retried with the same client message
 * id is stored at most once.
 */
public final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message) {
        super(message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

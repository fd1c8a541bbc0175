package io.imserver.messaging;

import io.imserver.protocol.ErrorCode;
import io.imserver.protocol.ImException;
import io.imserver.store.StoreUnavailableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/** Maps any failure of a use case to the {@link ImException} the client is told. */
public final class Failures {
    private Failures() {
    }

    /** The client-facing failure; {@code null} when {@code t} is an unexpected fault (to be logged with its trace). */
    public static ImException toClientError(Throwable t) {
        var cause = unwrap(t);
        if (cause instanceof ImException im) {
            return im;
        }
        if (cause instanceof StoreUnavailableException || cause instanceof RejectedExecutionException) {
            return new ImException(ErrorCode.SERVER_BUSY, "storage is busy or unavailable; try again");
        }
        return null;
    }

    public static Throwable unwrap(Throwable t) {
        var cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}

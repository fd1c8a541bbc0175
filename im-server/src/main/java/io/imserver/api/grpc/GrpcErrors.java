package io.imserver.api.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.imserver.messaging.Failures;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unary call and maps failures to statuses: 400 INVALID_ARGUMENT, 401/419 UNAUTHENTICATED, 403 and 451
 * PERMISSION_DENIED, 404 NOT_FOUND, 503 UNAVAILABLE, anything unexpected INTERNAL (logged). The server's own error
 * code travels in the trailer {@code im-error-code}.
 */
final class GrpcErrors {
    static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("im-error-code", Metadata.ASCII_STRING_MARSHALLER);
    private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    static <T> void unary(String method, StreamObserver<T> out, Supplier<T> call) {
        T reply;
        try {
            reply = call.get();
        } catch (RuntimeException e) {
            out.onError(toStatus(method, e));
            return;
        }
        out.onNext(reply);
        out.onCompleted();
    }

    static StatusRuntimeException toStatus(String method, Throwable e) {
        var error = Failures.toClientError(e);
        if (error == null) {
            log.error("gRPC {} failed", method, Failures.unwrap(e));
            return Status.INTERNAL.withDescription("internal error").asRuntimeException();
        }
        var status = switch (error.code()) {
            case INVALID_REQUEST -> Status.INVALID_ARGUMENT;
            case TOKEN_INVALID, TOKEN_EXPIRED -> Status.UNAUTHENTICATED;
            case FORBIDDEN, REJECTED -> Status.PERMISSION_DENIED;
            case NOT_FOUND -> Status.NOT_FOUND;
            case SERVER_BUSY -> Status.UNAVAILABLE;
            default -> Status.FAILED_PRECONDITION;
        };
        var trailers = new Metadata();
        trailers.put(ERROR_CODE, Integer.toString(error.code().code()));
        return status.withDescription(error.getMessage()).asRuntimeException(trailers);
    }
}

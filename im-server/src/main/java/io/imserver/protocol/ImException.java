package io.imserver.protocol;

/**
 * A request that cannot be served, with the code and readable text sent back in {@code Output}.
 * Ordinary client errors: logged without stack trace.
 */
public final class ImException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public ImException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static ImException invalid(String message) {
        return new ImException(ErrorCode.INVALID_REQUEST, message);
    }

    /**
     * {@code value} unchanged, or a refusal (400) when it holds a NUL character: PostgreSQL text cannot store one,
     * so client text is refused alike on every engine.
     */
    public static String requireNoNul(String field, String value) {
        if (value.indexOf('\u0000') >= 0) {
            throw invalid(field + ": contains a NUL character (expected: text without NUL)");
        }
        return value;
    }

    public static ImException notFound(String message) {
        return new ImException(ErrorCode.NOT_FOUND, message);
    }

    public static ImException forbidden(String message) {
        return new ImException(ErrorCode.FORBIDDEN, message);
    }

    public static ImException muted(String message) {
        return new ImException(ErrorCode.MUTED, message);
    }

    public static ImException groupFull(String message) {
        return new ImException(ErrorCode.GROUP_FULL, message);
    }
}

package io.imserver.messaging;

import io.imserver.protocol.ImException;

/** A validated page request: limit 0 means the default (15); at most 100; negatives are invalid. */
public record Paging(int limit, int offset) {
    public static final int DEFAULT_LIMIT = 15;
    public static final int MAX_LIMIT = 100;

    public static Paging of(long limit, long offset) {
        if (limit < 0) {
            throw ImException.invalid("limit: " + limit + " (expected: >= 0)");
        }
        if (offset < 0) {
            throw ImException.invalid("offset: " + offset + " (expected: >= 0)");
        }
        if (offset > Integer.MAX_VALUE) {
            throw ImException.invalid("offset: " + offset + " (expected: <= " + Integer.MAX_VALUE + ")");
        }
        int effective = limit == 0 ? DEFAULT_LIMIT : (int) Math.min(limit, MAX_LIMIT);
        return new Paging(effective, (int) offset);
    }
}

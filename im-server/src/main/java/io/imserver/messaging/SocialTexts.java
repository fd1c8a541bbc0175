package io.imserver.messaging;

import io.imserver.protocol.ImException;

/** Length caps of the social commands' texts; a longer text, or one holding NUL, is refused with 400. */
final class SocialTexts {
    static final int MAX_REMARK = 64;
    static final int MAX_KEYWORD = 64;
    static final int MAX_EXAMINE_TEXT = 200;
    static final int MAX_WRITING = 2000;
    static final int MAX_MEDIA = 4000;
    static final int MAX_COMMENT = 500;

    private SocialTexts() {
    }

    static String require(String field, String value, int max) {
        if (value.length() > max) {
            throw ImException.invalid(field + ": " + value.length() + " characters (expected: <= " + max + ")");
        }
        return ImException.requireNoNul(field, value);
    }

    /** Unix ms as the reference's Unix seconds. */
    static long seconds(long ms) {
        return ms / 1000;
    }
}

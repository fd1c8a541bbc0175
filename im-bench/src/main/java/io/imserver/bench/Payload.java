package io.imserver.bench;

/**
 * The text of a benchmark message: {@code b|<run>|<stream>|<seq>|<sendNanos>|<padding>}. {@code run} tells this run's
 * messages from older ones in the same database; {@code stream} is the sender (1:1) or the group (group scenario);
 * {@code seq} numbers a stream's messages from 0; {@code sendNanos} is the sender's {@link System#nanoTime()} at the
 * (intended) send, so the receiver in the same process measures send-to-push latency.
 */
public final class Payload {
    /** A parsed payload. */
    public record Parsed(long run, int stream, int seq, long sendNanos) {
        public long key() {
            return Payload.key(stream, seq);
        }
    }

    private Payload() {
    }

    /** The verifier's key of a message: stream in the high 32 bits, seq in the low 32. */
    public static long key(int stream, int seq) {
        return ((long) stream << 32) | (seq & 0xFFFF_FFFFL);
    }

    public static int stream(long key) {
        return (int) (key >>> 32);
    }

    public static int seq(long key) {
        return (int) key;
    }

    /** A message's client message id: unique per run, sender stream and seq, like the SDKs' random ids. */
    public static String clientMsgId(long run, int stream, int seq) {
        return Long.toHexString(run) + "-" + stream + "-" + seq;
    }

    public static String encode(long run, int stream, int seq, long sendNanos, int minLength) {
        var sb = new StringBuilder(Math.max(48, minLength + 1));
        sb.append("b|").append(run).append('|').append(stream).append('|').append(seq).append('|').append(sendNanos)
                .append('|');
        while (sb.length() < minLength) {
            sb.append('x');
        }
        return sb.toString();
    }

    /** The payload of a text message of benchmark run {@code run}, or null when it is another message. */
    public static Parsed ofRun(pb.MessageItem message, long run) {
        var p = parse(message.getMessageBody().getMessageContent().getText().getText());
        return p != null && p.run() == run ? p : null;
    }

    /** The payload in {@code text}, or null when it is not a benchmark message. */
    public static Parsed parse(String text) {
        if (text == null || !text.startsWith("b|")) {
            return null;
        }
        try {
            int a = text.indexOf('|', 2);
            int b = text.indexOf('|', a + 1);
            int c = text.indexOf('|', b + 1);
            int d = text.indexOf('|', c + 1);
            if (a < 0 || b < 0 || c < 0 || d < 0) {
                return null;
            }
            return new Parsed(Long.parseLong(text, 2, a, 10), Integer.parseInt(text, a + 1, b, 10),
                    Integer.parseInt(text, b + 1, c, 10), Long.parseLong(text, c + 1, d, 10));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

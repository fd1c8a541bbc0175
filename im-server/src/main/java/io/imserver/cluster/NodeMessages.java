package io.imserver.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import pb.Output;

/**
 * The frames nodes send each other: a batch of pushes for the receiving node's devices, or a kick of a device that
 * signed in again elsewhere. A kind byte, then big-endian fields; an {@code Output} as its length and protobuf bytes.
 */
final class NodeMessages {
    static final byte PUSHES = 1;
    static final byte KICK = 2;

    /** A device of {@code appId}/{@code userId} signed in elsewhere with a fence newer than {@code fence}. */
    record Kick(long appId, long userId, long deviceId, long fence) {
    }

    private NodeMessages() {
    }

    static byte[] pushes(List<Push> pushes) {
        var bytes = new ByteArrayOutputStream(64 * pushes.size());
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(PUSHES);
            out.writeInt(pushes.size());
            for (var p : pushes) {
                out.writeLong(p.appId());
                out.writeLong(p.userId());
                out.writeLong(p.exceptDeviceId());
                var output = p.output().toByteArray();
                out.writeInt(output.length);
                out.write(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] kick(Kick kick) {
        var bytes = new ByteArrayOutputStream(33);
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(KICK);
            out.writeLong(kick.appId());
            out.writeLong(kick.userId());
            out.writeLong(kick.deviceId());
            out.writeLong(kick.fence());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The kind byte of a frame. */
    static byte kind(byte[] frame) {
        if (frame.length == 0) {
            throw new IllegalArgumentException("empty node message");
        }
        return frame[0];
    }

    static List<Push> readPushes(byte[] frame) throws IOException {
        var in = new DataInputStream(new ByteArrayInputStream(frame, 1, frame.length - 1));
        int n = in.readInt();
        if (n < 0 || n > frame.length) {
            throw new IOException("push count " + n + " in a frame of " + frame.length + " bytes");
        }
        var pushes = new ArrayList<Push>(n);
        for (int i = 0; i < n; i++) {
            long app = in.readLong();
            long user = in.readLong();
            long except = in.readLong();
            int length = in.readInt();
            if (length < 0 || length > frame.length) {
                throw new IOException("output length " + length + " in a frame of " + frame.length + " bytes");
            }
            pushes.add(new Push(app, user, except, Output.parseFrom(in.readNBytes(length))));
        }
        return pushes;
    }

    static Kick readKick(byte[] frame) throws IOException {
        var in = new DataInputStream(new ByteArrayInputStream(frame, 1, frame.length - 1));
        return new Kick(in.readLong(), in.readLong(), in.readLong(), in.readLong());
    }
}

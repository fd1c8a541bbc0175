package io.imserver.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import pb.Output;

/** Builds {@code Output} frames: replies, pushes and errors. */
public final class Outputs {
    private Outputs() {
    }

    public static Output ok(String type) {
        return Output.newBuilder().setType(type).setCode(ErrorCode.OK.code()).setMessage("ok").build();
    }

    public static Output ok(String type, MessageLite data) {
        return ok(type, data.toByteString());
    }

    public static Output ok(String type, ByteString data) {
        return Output.newBuilder().setType(type).setCode(ErrorCode.OK.code()).setMessage("ok").setData(data).build();
    }

    public static Output error(String type, ErrorCode code, String message) {
        return Output.newBuilder().setType(type).setCode(code.code()).setMessage(message).build();
    }

    public static Output error(String type, ImException e) {
        return error(type, e.code(), e.getMessage());
    }
}

package io.imserver.cluster;

import pb.Output;

/** One push for every online device of a user but one ({@code exceptDeviceId}; 0: none excepted). */
public record Push(long appId, long userId, long exceptDeviceId, Output output) {
}

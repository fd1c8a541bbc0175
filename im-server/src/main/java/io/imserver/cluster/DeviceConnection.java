package io.imserver.cluster;

import pb.Output;

/** A signed-in device's live connection, wherever it is held; pushes are queued, never block the caller. */
public interface DeviceConnection {
    long appId();

    long userId();

    long deviceId();

    /** Queues a push to the device. */
    void push(Output output);

    /** This connection was replaced by a newer sign-in of the same device: tell it why, then close it. */
    void replaced();
}

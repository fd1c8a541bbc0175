package io.imserver.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pb.Output;

class LocalPresenceTest {

    /** A connection that keeps what is pushed to it. */
    private record Device(long appId, long userId, long deviceId, List<Output> pushed) implements DeviceConnection {
        Device(long appId, long userId, long deviceId) {
            this(appId, userId, deviceId, new ArrayList<>());
        }

        @Override
        public void push(Output output) {
            pushed.add(output);
        }

        @Override
        public void replaced() {
        }
    }

    @Test
    void aUserWhoseOnlyDeviceIsExcepted_hasNoDeviceBesidesIt_andGetsNoPush() {
        var presence = new LocalPresence();
        var only = new Device(1, 7, 1);
        presence.register(only);

        assertThat(presence.mayBeOnlineBesides(1, 7, 1)).isFalse();
        presence.deliver(1, 7, 1, Output.newBuilder().setType("message").build());
        assertThat(only.pushed()).isEmpty();
    }

    @Test
    void aSecondDevice_isOnlineBesidesTheFirst_untilItSignsOut() {
        var presence = new LocalPresence();
        presence.register(new Device(1, 7, 1));
        var second = new Device(1, 7, 2);
        presence.register(second);

        assertThat(presence.mayBeOnlineBesides(1, 7, 1)).isTrue();
        assertThat(presence.mayBeOnlineBesides(1, 7, 2)).isTrue();
        assertThat(presence.mayBeOnlineBesides(2, 7, 1)).as("another app's user 7").isFalse();

        presence.unregister(second);
        assertThat(presence.mayBeOnlineBesides(1, 7, 1)).isFalse();
    }

    @Test
    void aUserWithNoDevice_isNotOnlineBesidesAny() {
        assertThat(new LocalPresence().mayBeOnlineBesides(1, 7, 0)).isFalse();
    }
}

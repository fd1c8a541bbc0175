package io.imserver.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import pb.Output;

class NodeMessagesTest {

    @Test
    void pushes_surviveTheTripBetweenNodes_inOrder() throws IOException {
        var first = new Push(1, 2, 3, Output.newBuilder().setType("message").setCode(200).build());
        var second = new Push(1, 4, 0, Output.newBuilder().setType("receipt").setCode(200).setMessage("ok").build());
        byte[] frame = NodeMessages.pushes(List.of(first, second));
        assertThat(NodeMessages.kind(frame)).isEqualTo(NodeMessages.PUSHES);
        assertThat(NodeMessages.readPushes(frame)).containsExactly(first, second);
    }

    @Test
    void kicks_surviveTheTripBetweenNodes() throws IOException {
        var kick = new NodeMessages.Kick(1, 2, 3, 42);
        byte[] frame = NodeMessages.kick(kick);
        assertThat(NodeMessages.kind(frame)).isEqualTo(NodeMessages.KICK);
        assertThat(NodeMessages.readKick(frame)).isEqualTo(kick);
    }

    @Test
    void aTruncatedOrLyingFrame_isRefused_notTrusted() {
        byte[] frame = NodeMessages.pushes(List.of(new Push(1, 2, 3, Output.newBuilder().setType("x").build())));
        byte[] truncated = java.util.Arrays.copyOf(frame, frame.length - 2);
        assertThatThrownBy(() -> NodeMessages.readPushes(truncated)).isInstanceOf(IOException.class);
        byte[] huge = {NodeMessages.PUSHES, 0x7f, 0, 0, 0};
        assertThatThrownBy(() -> NodeMessages.readPushes(huge)).hasMessageContaining("push count");
        assertThatThrownBy(() -> NodeMessages.kind(new byte[0])).hasMessage("empty node message");
    }
}

package io.imserver.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressConnectionsTest {

    @Test
    void eachAddress_getsItsOwnMaximum_andAClosedConnectionFreesItsSlot() throws Exception {
        var one = InetAddress.getByName("127.0.0.1");
        var two = InetAddress.getByName("127.0.0.2");
        var limit = new AddressConnections(2);
        assertThat(limit.tryOpen(one)).isTrue();
        assertThat(limit.tryOpen(one)).isTrue();
        assertThat(limit.tryOpen(one)).isFalse();
        assertThat(limit.tryOpen(two)).isTrue();
        limit.closed(one);
        assertThat(limit.tryOpen(one)).isTrue();
        assertThat(limit.tryOpen(one)).isFalse();
    }
}

package io.imserver.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.testing.ClusterNode;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The lease of a node's slot on the machine's Redis, from joining to starting. */
class ClusterMembershipIT {

    @Test
    void aNodeThatTakesLongerThanItsTtlToStart_keepsItsSlot() throws Exception {
        var ttl = Duration.ofSeconds(1);
        String cluster = "imt-" + UUID.randomUUID().toString().substring(0, 8);
        try (var slow = ClusterMembership.join(ClusterNode.REDIS_URL, cluster, "slow", ttl)) {
            // the database takes its time to open (migrations); meanwhile another node starts
            Thread.sleep(ttl.multipliedBy(2).toMillis());
            try (var next = ClusterMembership.join(ClusterNode.REDIS_URL, cluster, "next", ttl)) {
                assertThat(next.slot()).as("the next node's slot").isNotEqualTo(slow.slot());
                slow.start(() -> 0);
                next.start(() -> 0);
                assertThat(slow.leaseValid()).as("the slow node still holds its lease").isTrue();
                assertThat(next.leaseValid()).isTrue();
            }
        }
    }
}

package io.imserver.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VersionClockTest {

    @Test
    void versions_carryTheNodesSlot_soTwoNodesNeverStampTheSameOne() {
        var a = new VersionClock(0, 1);
        var b = new VersionClock(0, 2);
        var seen = new java.util.HashSet<Long>();
        for (int i = 0; i < 1_000; i++) {
            long va = a.advance();
            long vb = b.advance();
            assertThat(va & VersionClock.MAX_SLOT).isEqualTo(1);
            assertThat(vb & VersionClock.MAX_SLOT).isEqualTo(2);
            assertThat(seen.add(va)).isTrue();
            assertThat(seen.add(vb)).isTrue();
        }
    }

    @Test
    void versions_growStrictly_evenPastAStoredVersionFromTheFuture() {
        long future = (System.currentTimeMillis() * 1000 + 60_000_000L) << VersionClock.SLOT_BITS;
        var clock = new VersionClock(future, 0);
        long previous = future;
        for (int i = 0; i < 100; i++) {
            long v = clock.advance();
            assertThat(v).isGreaterThan(previous);
            previous = v;
        }
    }

    @Test
    void floor_staysBelowAWriteInFlight_andMovesWithTimeWhenIdle() throws Exception {
        var clock = new VersionClock(0, 3);
        long idle = clock.floor();
        long inFlight = clock.advance();
        assertThat(clock.floor()).isEqualTo(idle).isLessThan(inFlight);
        clock.markCommitted();
        assertThat(clock.floor()).isGreaterThanOrEqualTo(inFlight);
        long before = clock.floor();
        Thread.sleep(2);
        long later = clock.floor();
        assertThat(later).isGreaterThan(before);
        // nothing is ever stamped at or below a floor handed out
        assertThat(clock.advance()).isGreaterThan(later);
    }

    @Test
    void anAbortedWrite_leavesTheFloorWhereTheLastCommitPutIt_thenFreesIt() {
        var clock = new VersionClock(0, 0);
        clock.advance();
        clock.markCommitted();
        long committed = clock.committed();
        clock.advance();
        assertThat(clock.floor()).isEqualTo(committed);
        clock.markAborted();
        assertThat(clock.floor()).isGreaterThan(committed);
    }

    @Test
    void aSlotOutOfRange_isRefused() {
        assertThatThrownBy(() -> new VersionClock(0, 1024)).hasMessage("versionSlot: 1024 (expected: 0-1023)");
    }
}

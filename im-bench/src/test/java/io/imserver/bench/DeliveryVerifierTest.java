package io.imserver.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryVerifierTest {
    private static long k(int stream, int seq) {
        return Payload.key(stream, seq);
    }

    @Test
    void everyAckedMessageDeliveredOnce_isOk() {
        var v = new DeliveryVerifier();
        for (int i = 0; i < 100; i++) {
            v.sent(k(1, i), 1);
            v.acked(k(1, i));
            assertThat(v.delivered(k(1, i), 0)).isEqualTo(1);
        }
        var r = v.verify();
        assertThat(r.ok()).isTrue();
        assertThat(r.sent()).isEqualTo(100);
        assertThat(r.acked()).isEqualTo(100);
        assertThat(r.deliveries()).isEqualTo(100);
        assertThat(r.duplicates() + r.lostDeliveries() + r.extras()).isZero();
    }

    @Test
    void aSecondDelivery_isADuplicate() {
        var v = new DeliveryVerifier();
        v.sent(k(1, 0), 1);
        v.acked(k(1, 0));
        assertThat(v.delivered(k(1, 0), 0)).isEqualTo(1);
        assertThat(v.delivered(k(1, 0), 0)).isZero();
        var r = v.verify();
        assertThat(r.ok()).isFalse();
        assertThat(r.duplicates()).isEqualTo(1);
        assertThat(r.samples()).anyMatch(s -> s.startsWith("duplicate 1:0"));
    }

    @Test
    void anAckedMessageNeverDelivered_isLost() {
        var v = new DeliveryVerifier();
        v.sent(k(2, 0), 1);
        v.acked(k(2, 0));
        v.sent(k(2, 1), 1);
        v.acked(k(2, 1));
        v.delivered(k(2, 1), 0);
        var r = v.verify();
        assertThat(r.ok()).isFalse();
        assertThat(r.lostMessages()).isEqualTo(1);
        assertThat(r.lostDeliveries()).isEqualTo(1);
        assertThat(r.samples()).containsExactly("lost 2:0: reached 0 of 1");
    }

    @Test
    void deliveriesOfUnknownMessagesOrToWrongRecipients_areExtras() {
        var v = new DeliveryVerifier();
        v.sent(k(3, 0), 2);
        v.acked(k(3, 0));
        assertThat(v.delivered(k(9, 9), 0)).isEqualTo(-1);
        assertThat(v.delivered(k(3, 0), 2)).isEqualTo(-1);
        assertThat(v.delivered(k(3, 0), -1)).isEqualTo(-1);
        v.delivered(k(3, 0), 0);
        v.delivered(k(3, 0), 1);
        var r = v.verify();
        assertThat(r.ok()).isFalse();
        assertThat(r.extras()).isEqualTo(3);
        assertThat(r.lostDeliveries()).isZero();
        assertThat(r.deliveries()).isEqualTo(2);
        assertThat(r.samples()).anyMatch(s -> s.contains("9:9") && s.contains("never sent"));
    }

    @Test
    void fanOut_countsDistinctRecipients_andReportsTheMissingOnes() {
        var v = new DeliveryVerifier();
        v.sent(k(5, 0), 4);
        v.acked(k(5, 0));
        assertThat(v.delivered(k(5, 0), 2)).isEqualTo(1);
        assertThat(v.delivered(k(5, 0), 0)).isEqualTo(2);
        assertThat(v.delivered(k(5, 0), 2)).isZero();
        assertThat(v.delivered(k(5, 0), 3)).isEqualTo(3);
        var r = v.verify();
        assertThat(r.duplicates()).isEqualTo(1);
        assertThat(r.lostMessages()).isEqualTo(1);
        assertThat(r.lostDeliveries()).isEqualTo(1);
        assertThat(v.delivered(k(5, 0), 1)).isEqualTo(4);
        assertThat(v.verify().lostDeliveries()).isZero();
    }

    @Test
    void failedOrUnansweredMessages_areNotLost_butDeliveryOfThemIsReported() {
        var v = new DeliveryVerifier();
        v.sent(k(1, 0), 1);
        v.failed(k(1, 0));
        v.sent(k(1, 1), 1);
        v.sent(k(1, 2), 1);
        v.failed(k(1, 2));
        v.delivered(k(1, 2), 0);
        var r = v.verify();
        assertThat(r.ok()).isTrue();
        assertThat(r.failed()).isEqualTo(2);
        assertThat(r.unanswered()).isEqualTo(1);
        assertThat(r.deliveredUnacked()).isEqualTo(1);
    }

    @Test
    void messagesAckedAfterTheCutoff_areInFlight_notLost() {
        var v = new DeliveryVerifier();
        v.sent(k(1, 0), 1);
        v.acked(k(1, 0), 1_000);
        v.sent(k(1, 1), 1);
        v.acked(k(1, 1), 5_000);
        v.sent(k(1, 2), 1);
        v.acked(k(1, 2), 6_000);
        v.delivered(k(1, 2), 0);
        var r = v.verify(5_000);
        assertThat(r.lostMessages()).isEqualTo(1);
        assertThat(r.samples()).containsExactly("lost 1:0: reached 0 of 1");
        assertThat(r.ackedLate()).isEqualTo(1);
        assertThat(v.verify().lostMessages()).isEqualTo(2);
    }

    @Test
    void pushesMissingToDroppedRecipients_areMissedOffline_notLost() {
        var v = new DeliveryVerifier();
        v.sent(k(4, 0), 3);
        v.acked(k(4, 0));
        v.delivered(k(4, 0), 0);
        v.sent(k(5, 0), 1);
        v.acked(k(5, 0));
        var r = v.verify(Long.MAX_VALUE, (key, recipient) -> Payload.stream(key) == 5 || recipient == 2);
        assertThat(r.missedOffline()).isEqualTo(2);
        assertThat(r.lostDeliveries()).isEqualTo(1);
        assertThat(r.samples()).containsExactly("lost 4:0: reached 1 of 3");
        assertThat(r.ok()).isFalse();
        assertThat(v.verify(Long.MAX_VALUE, (key, recipient) -> true).ok()).isTrue();
    }

    @Test
    void registeringTwice_orAckingUnknown_isABugOfTheCaller() {
        var v = new DeliveryVerifier();
        v.sent(k(1, 0), 1);
        assertThatThrownBy(() -> v.sent(k(1, 0), 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> v.acked(k(1, 1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> v.sent(k(1, 1), 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recipients per message");
    }

    @Test
    void ackedKeys_areGroupedByStream() {
        var v = new DeliveryVerifier();
        v.sent(k(1, 0), 1);
        v.acked(k(1, 0));
        v.sent(k(1, 1), 1);
        v.sent(k(2, 0), 1);
        v.acked(k(2, 0));
        assertThat(v.ackedKeys(1)).containsExactly(k(1, 0));
        assertThat(v.ackedKeysByStream()).containsOnlyKeys(1, 2);
        assertThat(v.contains(k(1, 1))).isTrue();
        assertThat(v.contains(k(1, 2))).isFalse();
    }

    @Test
    void compareStored_findsMissingDuplicatedAndUnexpectedRows() {
        var expected = List.of(k(1, 0), k(1, 1), k(1, 2));
        var stored = List.of(k(1, 0), k(1, 2), k(1, 2), k(1, 2), k(1, 7));
        var r = DeliveryVerifier.compareStored(expected, stored);
        assertThat(r.expected()).isEqualTo(3);
        assertThat(r.found()).isEqualTo(2);
        assertThat(r.missing()).isEqualTo(1);
        assertThat(r.duplicates()).isEqualTo(2);
        assertThat(r.unexpected()).isEqualTo(1);
        assertThat(r.ok()).isFalse();
        assertThat(r.samples()).contains("not stored 1:1", "stored 3 times 1:2");

        var good = DeliveryVerifier.compareStored(expected, List.of(k(1, 2), k(1, 1), k(1, 0)));
        assertThat(good.ok()).isTrue();
        assertThat(good.plus(r).missing()).isEqualTo(1);
        assertThat(DeliveryVerifier.StoredReport.NONE.plus(good)).isEqualTo(good);
    }

    @Test
    void manyMessagesPerStream_spanSeveralChunks() {
        var v = new DeliveryVerifier();
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            v.sent(k(7, i), 1);
            if (i != 5_000) {
                v.acked(k(7, i));
            }
            if (i % 3 != 0) {
                v.delivered(k(7, i), 0);
            }
        }
        var r = v.verify();
        assertThat(v.size()).isEqualTo(n);
        assertThat(r.sent()).isEqualTo(n);
        assertThat(r.acked()).isEqualTo(n - 1);
        assertThat(r.unanswered()).isEqualTo(1);
        assertThat(r.lostMessages()).isEqualTo(3334 - (5_000 % 3 == 0 ? 1 : 0));
        assertThat(v.ackedKeys(7)).hasSize(n - 1);
        assertThat(v.contains(k(7, n - 1))).isTrue();
        assertThat(v.contains(k(7, n))).isFalse();
    }

    @Test
    void concurrentFanOut_completesExactlyOncePerMessage() throws Exception {
        var v = new DeliveryVerifier();
        int messages = 200;
        int recipients = 50;
        for (int i = 0; i < messages; i++) {
            v.sent(k(2, i), recipients);
            v.acked(k(2, i));
        }
        var completed = new java.util.concurrent.atomic.AtomicInteger();
        var threads = new java.util.ArrayList<Thread>();
        for (int t = 0; t < 4; t++) {
            int offset = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < messages; i++) {
                    for (int r = offset; r < recipients; r += 4) {
                        if (v.delivered(k(2, i), r) == recipients) {
                            completed.incrementAndGet();
                        }
                    }
                }
            }));
        }
        for (var t : threads) {
            t.join();
        }
        assertThat(completed.get()).isEqualTo(messages);
        assertThat(v.verify().ok()).isTrue();
        assertThat(v.verify().deliveries()).isEqualTo((long) messages * recipients);
    }

    @Test
    void concurrentAcksAndDeliveries_areCountedExactly() throws Exception {
        var v = new DeliveryVerifier();
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            v.sent(k(1, i), 1);
        }
        var acker = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < n; i++) {
                v.acked(k(1, i));
            }
        });
        var receiver = Thread.ofPlatform().start(() -> {
            for (int i = n - 1; i >= 0; i--) {
                v.delivered(k(1, i), 0);
            }
        });
        acker.join();
        receiver.join();
        var r = v.verify();
        assertThat(r.ok()).isTrue();
        assertThat(r.acked()).isEqualTo(n);
        assertThat(r.deliveries()).isEqualTo(n);
    }
}

package io.imserver.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import pb.Output;

class ReplyMatcherTest {
    private static Output out(String type, int code, String message) {
        return Output.newBuilder().setType(type).setCode(code).setMessage(message).build();
    }

    private static CompletableFuture<Output> register(ReplyMatcher m, String type) {
        var f = new CompletableFuture<Output>();
        m.register(type, f);
        return f;
    }

    @Test
    void repliesOfOneType_goToRequestsInOrder() {
        var m = new ReplyMatcher();
        var a = register(m, "sendmessage");
        var b = register(m, "sendmessage");
        var c = register(m, "sendmessage");
        assertThat(m.complete(out("sendmessage", 200, "first"))).isTrue();
        assertThat(m.complete(out("sendmessage", 404, "second"))).isTrue();
        assertThat(a.join().getMessage()).isEqualTo("first");
        assertThat(b.join().getCode()).isEqualTo(404);
        assertThat(c).isNotDone();
        assertThat(m.size()).isEqualTo(1);
    }

    @Test
    void typesAreMatchedIndependently_soAnEarlyHeartbeatReplyTakesNoOtherPlace() {
        var m = new ReplyMatcher();
        var send = register(m, "sendmessage");
        var sync = register(m, "sync");
        var hb = register(m, "heartbeat");
        m.complete(out("heartbeat", 200, "ok"));
        m.complete(out("sync", 200, "ok"));
        assertThat(hb).isCompleted();
        assertThat(sync).isCompleted();
        assertThat(send).isNotDone();
        m.complete(out("sendmessage", 200, "ok"));
        assertThat(send).isCompleted();
        assertThat(m.size()).isZero();
    }

    @Test
    void anOutputWithoutOpenRequest_isAPush() {
        var m = new ReplyMatcher();
        assertThat(m.complete(out("message", 200, "ok"))).isFalse();
        var f = register(m, "sync");
        assertThat(m.complete(out("message", 200, "ok"))).isFalse();
        assertThat(m.complete(out("kick", 410, "replaced"))).isFalse();
        assertThat(f).isNotDone();
        m.complete(out("sync", 200, "ok"));
        assertThat(m.complete(out("sync", 200, "late duplicate"))).isFalse();
    }

    @Test
    void aTimedOutRequest_keepsItsPlace_soTheLateReplyDoesNotShiftTheNextOne() {
        var m = new ReplyMatcher();
        var first = register(m, "sendmessage");
        first.completeExceptionally(new ImClientException("sendmessage", ImClientException.TIMEOUT, "slow"));
        var second = register(m, "sendmessage");
        m.complete(out("sendmessage", 200, "reply to first"));
        assertThat(second).isNotDone();
        m.complete(out("sendmessage", 200, "reply to second"));
        assertThat(second.join().getMessage()).isEqualTo("reply to second");
        assertThat(first).isCompletedExceptionally();
    }

    @Test
    void failAll_failsEveryOpenRequestWithItsType_andForgetsThem() {
        var m = new ReplyMatcher();
        var a = register(m, "sendmessage");
        var b = register(m, "sync");
        m.failAll(type -> new ImClientException(type, ImClientException.CONNECTION_LOST, "gone"));
        assertThat(m.size()).isZero();
        assertThat(a).isCompletedExceptionally();
        try {
            b.join();
        } catch (CompletionException e) {
            var cause = (ImClientException) e.getCause();
            assertThat(cause.type()).isEqualTo("sync");
            assertThat(cause.code()).isEqualTo(ImClientException.CONNECTION_LOST);
            assertThat(cause.isServerError()).isFalse();
        }
        assertThat(m.complete(out("sendmessage", 200, "ok"))).isFalse();
    }

    @Test
    void parse_turnsErrorCodesIntoExceptions() {
        var ok = Output.newBuilder().setType("sync").setCode(200).setMessage("ok").build();
        assertThat(ImClient.parse(ok, pb.SyncResp.parser()).getMessagesCount()).isZero();
        var refused = out("sendmessage", 403, "not a member");
        try {
            ImClient.parse(refused, pb.MessageItem.parser());
            throw new AssertionError("expected a failure");
        } catch (ImClientException e) {
            assertThat(e.code()).isEqualTo(403);
            assertThat(e.type()).isEqualTo("sendmessage");
            assertThat(e.isServerError()).isTrue();
            assertThat(e.getMessage()).contains("not a member");
        }
    }
}

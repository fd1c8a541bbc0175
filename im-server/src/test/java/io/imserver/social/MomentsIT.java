package io.imserver.social;

import static org.assertj.core.api.Assertions.assertThat;

import io.imserver.protocol.ErrorCode;
import io.imserver.testing.WsClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import pb.AddTrend;
import pb.AddTrendsComment;
import pb.GetTrendsReq;
import pb.GetTrendsResp;
import pb.ReadNumResp;
import pb.Thumb;
import pb.Trends;
import pb.TrendsComment;

/** Moments ("circle"): {@code addtrend}, {@code gettrends}, {@code thumb}, {@code addtrendscomment}, {@code trendsreadnum}. */
class MomentsIT extends SocialTestBase {

    @Test
    void postsAreSeenByTheAuthorAndItsFriendsNewestFirst() {
        long alice = newUser("Alice");
        long bob = newUser("Bob");
        long stranger = newUser("Stranger");
        var a = signIn(alice);
        var b = signIn(bob);
        var s = signIn(stranger);
        befriend(a, b, bob, alice);

        var first = post(a, "first", "");
        var second = post(b, "second", "");
        var third = post(a, "third", "");
        assertThat(first.getUserId()).isEqualTo(alice);
        assertThat(first.getNickname()).isEqualTo("Alice");

        assertThat(ids(feed(a, 0, 0))).containsExactly(third.getId(), second.getId(), first.getId());
        assertThat(ids(feed(b, 0, 0))).containsExactly(third.getId(), second.getId(), first.getId());
        assertThat(ids(feed(b, 2, 1))).containsExactly(second.getId(), first.getId());
        assertThat(ids(feed(s, 0, 0))).isEmpty();
        // no longer friends: no longer seen
        ok(b.request("deletefriend", pb.DeleteFriendReq.newBuilder().setFId(alice).build()));
        assertThat(ids(feed(b, 0, 0))).containsExactly(second.getId());
    }

    @Test
    void aPostNamingFriendsIsSeenOnlyByThem() {
        long alice = newUser("Alice");
        long bob = newUser("Bob");
        long carol = newUser("Carol");
        long stranger = newUser("Stranger");
        var a = signIn(alice);
        var b = signIn(bob);
        var c = signIn(carol);
        befriend(a, b, bob, alice);
        befriend(a, c, carol, alice);

        var onlyBob = post(a, "for Bob", String.valueOf(bob));

        assertThat(ids(feed(b, 0, 0))).containsExactly(onlyBob.getId());
        assertThat(ids(feed(c, 0, 0))).isEmpty();
        assertThat(ids(feed(a, 0, 0))).containsExactly(onlyBob.getId());
        assertRefused(c.request("thumb", Thumb.newBuilder().setTrendsId(onlyBob.getId()).build()),
                ErrorCode.NOT_FOUND);
        assertRefused(a.request("addtrend", AddTrend.newBuilder().setWriting("x")
                .setToUserIds(bob + "," + stranger).build()), ErrorCode.INVALID_REQUEST);
        assertRefused(a.request("addtrend", AddTrend.newBuilder().setWriting("x").setToUserIds("bob").build()),
                ErrorCode.INVALID_REQUEST);
    }

    @Test
    void likesAndCommentsShowOnThePostAndCountAsUnreadForItsAuthor() {
        long alice = newUser("Alice");
        long bob = newUser("Bob");
        var a = signIn(alice);
        var b = signIn(bob);
        befriend(a, b, bob, alice);
        var p = post(a, "look", "");

        ok(b.request("thumb", Thumb.newBuilder().setTrendsId(p.getId()).setType(0).build()));
        ok(b.request("thumb", Thumb.newBuilder().setTrendsId(p.getId()).setType(0).build()));
        var comment = comment(b, p.getId(), 1, 0, "nice");
        var reply = comment(a, p.getId(), 2, comment.getId(), "thanks");
        ok(a.request("thumb", Thumb.newBuilder().setTrendsId(p.getId()).build()));

        assertThat(unread(a)).isEqualTo(2); // bob's like and comment; her own reactions do not count
        assertThat(unread(b)).isZero();
        assertThat(reply.getReplyId()).isEqualTo(bob);
        assertThat(reply.getReplyNickname()).isEqualTo("Bob");
        assertThat(reply.getCommentId()).isEqualTo(comment.getId());

        var seen = feed(a, 0, 0).get(0);
        assertThat(seen.getThumbNum()).isEqualTo(2);
        assertThat(seen.getTrendsThumbList()).extracting(t -> t.getUserId()).containsExactly(bob, alice);
        assertThat(seen.getCommentNum()).isEqualTo(2);
        assertThat(seen.getTrendsCommentList()).extracting(TrendsComment::getWriting).containsExactly("nice", "thanks");
        assertThat(seen.getTrendsComment(0).getNickname()).isEqualTo("Bob");
        assertThat(unread(a)).isZero();

        ok(b.request("thumb", Thumb.newBuilder().setTrendsId(p.getId()).setType(1).build()));
        ok(b.request("thumb", Thumb.newBuilder().setTrendsId(p.getId()).setType(1).build()));
        assertThat(feed(b, 0, 0).get(0).getTrendsThumbList()).extracting(t -> t.getUserId()).containsExactly(alice);
    }

    @Test
    void strangersAndOtherAppsCannotReactAndBadPostsAreRefused() {
        long alice = newUser("Alice");
        long stranger = newUser("Stranger");
        long outsider = newUser(OTHER_APP, "Outsider");
        var a = signIn(alice);
        var s = signIn(stranger);
        var o = signIn(OTHER_APP, outsider);
        var p = post(a, "mine", "");

        assertRefused(s.request("thumb", Thumb.newBuilder().setTrendsId(p.getId()).build()), ErrorCode.NOT_FOUND);
        assertRefused(o.request("addtrendscomment", AddTrendsComment.newBuilder().setTrendsId(p.getId()).setIstype(1)
                .setWriting("hi").build()), ErrorCode.NOT_FOUND);
        assertThat(ids(feed(o, 0, 0))).isEmpty();
        assertRefused(a.request("addtrendscomment", AddTrendsComment.newBuilder().setTrendsId(p.getId()).setIstype(2)
                .setCommentId(999_999).setWriting("to nothing").build()), ErrorCode.NOT_FOUND);
        assertRefused(a.request("addtrendscomment", AddTrendsComment.newBuilder().setTrendsId(p.getId()).setIstype(3)
                .setWriting("?").build()), ErrorCode.INVALID_REQUEST);
        assertRefused(a.request("addtrendscomment", AddTrendsComment.newBuilder().setTrendsId(p.getId()).setIstype(1)
                .setWriting("x".repeat(501)).build()), ErrorCode.INVALID_REQUEST);
        assertRefused(a.request("addtrend", AddTrend.newBuilder().setWriting("x".repeat(2001)).build()),
                ErrorCode.INVALID_REQUEST);
        assertRefused(a.request("addtrend", AddTrend.newBuilder().build()), ErrorCode.INVALID_REQUEST);
        assertRefused(a.request("thumb", Thumb.newBuilder().setTrendsId(p.getId()).setType(2).build()),
                ErrorCode.INVALID_REQUEST);
        assertRefused(a.request("gettrends", GetTrendsReq.newBuilder().setOffset(-1).build()),
                ErrorCode.INVALID_REQUEST);
        // the page is capped at 50, not refused
        ok(a.request("gettrends", GetTrendsReq.newBuilder().setLimit(1000).build()));
    }

    private static Trends post(WsClient client, String writing, String toUserIds) {
        return WsClient.parse(ok(client.request("addtrend", AddTrend.newBuilder().setWriting(writing)
                .setImgs("https://example.test/1.jpg").setToUserIds(toUserIds).build())), Trends.parser());
    }

    private static TrendsComment comment(WsClient client, long trend, int istype, long commentId, String text) {
        return WsClient.parse(ok(client.request("addtrendscomment", AddTrendsComment.newBuilder().setTrendsId(trend)
                .setIstype(istype).setCommentId(commentId).setWriting(text).build())), TrendsComment.parser());
    }

    private static List<Trends> feed(WsClient client, long limit, long offset) {
        return WsClient.parse(ok(client.request("gettrends", GetTrendsReq.newBuilder().setLimit(limit)
                .setOffset(offset).build())), GetTrendsResp.parser()).getTrendsList();
    }

    private static List<Long> ids(List<Trends> trends) {
        return trends.stream().map(Trends::getId).toList();
    }

    private static long unread(WsClient client) {
        return WsClient.parse(ok(client.request("trendsreadnum", null)), ReadNumResp.parser()).getNum();
    }
}

package io.imserver.messaging;

import io.imserver.auth.Identity;
import io.imserver.protocol.ImException;
import io.imserver.store.Store;
import io.imserver.store.StoreTx;
import io.imserver.store.Trend;
import io.imserver.store.TrendComment;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import pb.AddTrend;
import pb.AddTrendsComment;
import pb.GetTrendsReq;
import pb.GetTrendsResp;
import pb.ReadNumResp;
import pb.Thumb;
import pb.TrendThumb;
import pb.Trends;
import pb.TrendsComment;

/**
 * Moments ("circle"): a post is seen by its author and the author's friends (only the friends it names, if it names
 * any). Likes and comments are open to whoever sees the post; each new one by someone else counts as unread for the
 * author until the author reads the first page of {@code gettrends}.
 */
public final class MomentService {
    /** Largest page of {@code gettrends}. */
    static final int MAX_PAGE = 50;
    /** Likes and comments listed per post (the counts cover all). */
    static final int MAX_REACTIONS = 50;
    /** Most friends a post may be limited to. */
    static final int MAX_AUDIENCE = 100;

    private final Store store;
    private final Clock clock;

    public MomentService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** {@code addtrend}: a post by the caller; replies the stored post. */
    public CompletableFuture<Trends> add(Identity who, AddTrend req) {
        var writing = SocialTexts.require("writing", req.getWriting(), SocialTexts.MAX_WRITING);
        var imgs = SocialTexts.require("imgs", req.getImgs(), SocialTexts.MAX_MEDIA);
        var videos = SocialTexts.require("videos", req.getVideos(), SocialTexts.MAX_MEDIA);
        if (writing.isBlank() && imgs.isBlank() && videos.isBlank()) {
            throw ImException.invalid("writing, imgs, videos: all empty (expected: something to post)");
        }
        var audience = List.copyOf(new LinkedHashSet<>(GroupService.parseIds(req.getToUserIds())));
        if (audience.size() > MAX_AUDIENCE) {
            throw ImException.invalid("to_user_ids: " + audience.size() + " ids (expected: <= " + MAX_AUDIENCE + ")");
        }
        long app = who.appId();
        return store.write(tx -> {
            for (long friend : audience) {
                if (!tx.social().areFriends(app, who.userId(), friend)) {
                    throw ImException.invalid("to_user_ids: " + friend + " (expected: only your friends)");
                }
            }
            long id = tx.moments().addTrend(app, who.userId(), writing, imgs, videos, audience, clock.millis());
            return trend(tx, visible(tx, who, id));
        });
    }

    /**
     * {@code gettrends}: the posts the caller may see, newest first (limit 0 = 15, at most 50), each with its first
     * 50 likes and comments. The first page (offset 0) marks the caller's reactions read.
     */
    public CompletableFuture<GetTrendsResp> list(Identity who, GetTrendsReq req) {
        var page = Paging.of(Math.min(req.getLimit(), MAX_PAGE), req.getOffset());
        var resp = store.read(tx -> {
            var b = GetTrendsResp.newBuilder();
            for (var t : tx.moments().visibleTrends(who.appId(), who.userId(), page.limit(), page.offset())) {
                b.addTrends(trend(tx, t));
            }
            return b.build();
        });
        if (page.offset() > 0) {
            return CompletableFuture.completedFuture(resp);
        }
        return store.write(tx -> {
            tx.moments().clearNotices(who.appId(), who.userId());
            return resp;
        });
    }

    /** {@code thumb}: type 0 likes, 1 takes the like back; both idempotent. */
    public CompletableFuture<Void> thumb(Identity who, Thumb req) {
        DirectoryService.requirePositive("trends_id", req.getTrendsId());
        if (req.getType() != 0 && req.getType() != 1) {
            throw ImException.invalid("type: " + req.getType() + " (expected: 0 like or 1 unlike)");
        }
        return store.write(tx -> {
            var post = visible(tx, who, req.getTrendsId());
            if (req.getType() == 1) {
                tx.moments().unthumb(post.id(), who.userId());
            } else if (tx.moments().thumb(who.appId(), post.id(), who.userId(), clock.millis())
                    && post.userId() != who.userId()) {
                tx.moments().notify(who.appId(), post.userId());
            }
            return null;
        });
    }

    /** {@code addtrendscomment}: istype 1 comments the post, 2 replies to its comment {@code comment_id}. */
    public CompletableFuture<TrendsComment> comment(Identity who, AddTrendsComment req) {
        DirectoryService.requirePositive("trends_id", req.getTrendsId());
        if (req.getIstype() != 1 && req.getIstype() != 2) {
            throw ImException.invalid("istype: " + req.getIstype() + " (expected: 1 comment or 2 reply)");
        }
        var writing = SocialTexts.require("writing", req.getWriting(), SocialTexts.MAX_COMMENT);
        if (writing.isBlank()) {
            throw ImException.invalid("writing: '' (expected: the comment's text)");
        }
        if (req.getIstype() == 2) {
            DirectoryService.requirePositive("comment_id", req.getCommentId());
        }
        return store.write(tx -> {
            var post = visible(tx, who, req.getTrendsId());
            long replyTo = 0;
            if (req.getIstype() == 2) {
                replyTo = tx.moments().comment(post.id(), req.getCommentId()).orElseThrow(() -> ImException.notFound(
                        "comment " + req.getCommentId() + " does not exist on post " + post.id())).userId();
            }
            long id = tx.moments().addComment(who.appId(), post.id(), who.userId(), req.getIstype(),
                    req.getIstype() == 2 ? req.getCommentId() : 0, replyTo, writing, clock.millis());
            if (post.userId() != who.userId()) {
                tx.moments().notify(who.appId(), post.userId());
            }
            return comment(tx.moments().comment(post.id(), id).orElseThrow());
        });
    }

    /** {@code trendsreadnum}: new likes and comments by others on the caller's posts since its last first page. */
    public ReadNumResp unread(Identity who) {
        return ReadNumResp.newBuilder()
                .setNum(store.read(tx -> tx.moments().unreadNotices(who.appId(), who.userId()))).build();
    }

    private static Trend visible(StoreTx tx, Identity who, long trendId) {
        // another app's post, or one the caller may not see, reads as missing: its existence is not revealed
        return tx.moments().visibleTrend(who.appId(), who.userId(), trendId)
                .orElseThrow(() -> ImException.notFound("post " + trendId + " does not exist"));
    }

    private static Trends trend(StoreTx tx, Trend t) {
        var b = Trends.newBuilder().setId(t.id()).setUserId(t.userId()).setWriting(t.writing()).setImgs(t.imgs())
                .setVideos(t.videos()).setThumbNum(t.thumbCount()).setCommentNum(t.commentCount())
                .setNickname(t.nickname()).setAvatarUrl(t.avatarUrl())
                .setCreateTime(SocialTexts.seconds(t.createdAt())).setUpdateTime(SocialTexts.seconds(t.updatedAt()));
        for (var h : tx.moments().thumbs(t.id(), MAX_REACTIONS)) {
            b.addTrendsThumb(TrendThumb.newBuilder().setId(h.id()).setTrendsId(h.trendId()).setUserId(h.userId())
                    .setNickname(h.nickname()).setAvatarUrl(h.avatarUrl())
                    .setCreateTime(SocialTexts.seconds(h.createdAt())).setUpdateTime(SocialTexts.seconds(h.createdAt())));
        }
        for (var c : tx.moments().comments(t.id(), MAX_REACTIONS)) {
            b.addTrendsComment(comment(c));
        }
        return b.build();
    }

    private static TrendsComment comment(TrendComment c) {
        return TrendsComment.newBuilder().setId(c.id()).setTrendsId(c.trendId()).setUserId(c.userId())
                .setWriting(c.writing()).setIstype(c.istype()).setCommentId(c.commentId()).setReplyId(c.replyUserId())
                .setNickname(c.nickname()).setAvatarUrl(c.avatarUrl()).setReplyNickname(c.replyNickname())
                .setReplyAvatarUrl(c.replyAvatarUrl()).setCreateTime(SocialTexts.seconds(c.createdAt()))
                .setUpdateTime(SocialTexts.seconds(c.createdAt())).build();
    }
}

package io.imserver.store;

import java.util.List;
import java.util.Optional;

/** Moments ("circle"): posts, their likes and comments, and each author's count of unread reactions. */
public interface MomentRepository {
    /** @param audience the friends who may see it; empty: all the author's friends */
    long addTrend(long appId, long userId, String writing, String imgs, String videos, List<Long> audience,
                  long nowMs);

    /** The post if {@code viewerId} may see it: its author, or a friend of the author in its audience. */
    Optional<Trend> visibleTrend(long appId, long viewerId, long trendId);

    /** Posts {@code viewerId} may see, newest first. */
    List<Trend> visibleTrends(long appId, long viewerId, int limit, int offset);

    /** The newest {@code limit} likes of each post, oldest first. */
    List<TrendThumb> thumbs(long trendId, int limit);

    /** The first {@code limit} comments of each post, oldest first. */
    List<TrendComment> comments(long trendId, int limit);

    /** @return whether this is a new like */
    boolean thumb(long appId, long trendId, long userId, long nowMs);

    /** @return whether there was a like */
    boolean unthumb(long trendId, long userId);

    Optional<TrendComment> comment(long trendId, long commentId);

    long addComment(long appId, long trendId, long userId, int istype, long commentId, long replyUserId,
                    String writing, long nowMs);

    /** One more unread reaction on the user's posts. */
    void notify(long appId, long userId);

    long unreadNotices(long appId, long userId);

    void clearNotices(long appId, long userId);
}

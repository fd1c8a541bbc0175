package io.imserver.store.jdbc;

import io.imserver.store.MomentRepository;
import io.imserver.store.Trend;
import io.imserver.store.TrendComment;
import io.imserver.store.TrendThumb;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class JdbcMomentRepository implements MomentRepository {
    private static final String TREND_COLUMNS = "t.id, t.app_id, t.user_id, t.writing, t.imgs, t.videos, t.created_at,"
            + " t.updated_at, COALESCE(u.nickname, ''), COALESCE(u.avatar_url, ''),"
            + " (SELECT COUNT(*) FROM trend_thumbs h WHERE h.trend_id = t.id),"
            + " (SELECT COUNT(*) FROM trend_comments c WHERE c.trend_id = t.id)";
    private static final String TRENDS_FROM = " FROM trends t LEFT JOIN users u ON u.app_id = t.app_id"
            + " AND u.user_id = t.user_id";
    /**
     * A post the viewer may see: its own, or a friend's whose audience is all friends or names the viewer.
     * Parameters: (app, viewer, viewer, viewer).
     */
    private static final String VISIBLE = " t.app_id = ? AND (t.user_id = ? OR (EXISTS (SELECT 1 FROM friends f"
            + " WHERE f.app_id = t.app_id AND f.user_id = ? AND f.friend_id = t.user_id) AND (t.audience = 0"
            + " OR EXISTS (SELECT 1 FROM trend_audience a WHERE a.trend_id = t.id AND a.user_id = ?))))";
    private static final String COMMENT_COLUMNS = "c.id, c.trend_id, c.user_id, c.istype, c.comment_id,"
            + " c.reply_user_id, c.writing, c.created_at, COALESCE(u.nickname, ''), COALESCE(u.avatar_url, ''),"
            + " COALESCE(r.nickname, ''), COALESCE(r.avatar_url, '')";
    private static final String COMMENTS_FROM = " FROM trend_comments c LEFT JOIN users u ON u.app_id = c.app_id"
            + " AND u.user_id = c.user_id LEFT JOIN users r ON r.app_id = c.app_id AND r.user_id = c.reply_user_id";

    private final Jdbc jdbc;

    JdbcMomentRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    private static Trend trend(ResultSet rs) throws SQLException {
        return new Trend(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getString(9), rs.getString(10), rs.getLong(11),
                rs.getLong(12));
    }

    private static TrendComment comment(ResultSet rs) throws SQLException {
        return new TrendComment(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getLong(5),
                rs.getLong(6), rs.getString(7), rs.getLong(8), rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getString(12));
    }

    @Override
    public long addTrend(long appId, long userId, String writing, String imgs, String videos, List<Long> audience,
                         long nowMs) {
        long id = jdbc.insert("id", "INSERT INTO trends (app_id, user_id, writing, imgs, videos, audience, created_at,"
                        + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", appId, userId, writing, imgs, videos,
                audience.isEmpty() ? 0 : 1, nowMs, nowMs);
        for (long member : audience) {
            jdbc.update("INSERT INTO trend_audience (trend_id, user_id) VALUES (?, ?)", id, member);
        }
        return id;
    }

    @Override
    public Optional<Trend> visibleTrend(long appId, long viewerId, long trendId) {
        return jdbc.one("SELECT " + TREND_COLUMNS + TRENDS_FROM + " WHERE t.id = ? AND" + VISIBLE,
                JdbcMomentRepository::trend, trendId, appId, viewerId, viewerId, viewerId);
    }

    @Override
    public List<Trend> visibleTrends(long appId, long viewerId, int limit, int offset) {
        return jdbc.list("SELECT " + TREND_COLUMNS + TRENDS_FROM + " WHERE" + VISIBLE
                        + " ORDER BY t.id DESC LIMIT ? OFFSET ?",
                JdbcMomentRepository::trend, appId, viewerId, viewerId, viewerId, limit, offset);
    }

    @Override
    public List<TrendThumb> thumbs(long trendId, int limit) {
        return jdbc.list("SELECT h.id, h.trend_id, h.user_id, h.created_at, COALESCE(u.nickname, ''),"
                        + " COALESCE(u.avatar_url, '') FROM trend_thumbs h LEFT JOIN users u ON u.app_id = h.app_id"
                        + " AND u.user_id = h.user_id WHERE h.trend_id = ? ORDER BY h.id LIMIT ?",
                rs -> new TrendThumb(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                        rs.getString(6)), trendId, limit);
    }

    @Override
    public List<TrendComment> comments(long trendId, int limit) {
        return jdbc.list("SELECT " + COMMENT_COLUMNS + COMMENTS_FROM + " WHERE c.trend_id = ? ORDER BY c.id LIMIT ?",
                JdbcMomentRepository::comment, trendId, limit);
    }

    @Override
    public boolean thumb(long appId, long trendId, long userId, long nowMs) {
        if (jdbc.scalar("SELECT COUNT(*) FROM trend_thumbs WHERE trend_id = ? AND user_id = ?", trendId, userId) > 0) {
            return false;
        }
        jdbc.update("INSERT INTO trend_thumbs (trend_id, app_id, user_id, created_at) VALUES (?, ?, ?, ?)",
                trendId, appId, userId, nowMs);
        return true;
    }

    @Override
    public boolean unthumb(long trendId, long userId) {
        return jdbc.update("DELETE FROM trend_thumbs WHERE trend_id = ? AND user_id = ?", trendId, userId) > 0;
    }

    @Override
    public Optional<TrendComment> comment(long trendId, long commentId) {
        return jdbc.one("SELECT " + COMMENT_COLUMNS + COMMENTS_FROM + " WHERE c.trend_id = ? AND c.id = ?",
                JdbcMomentRepository::comment, trendId, commentId);
    }

    @Override
    public long addComment(long appId, long trendId, long userId, int istype, long commentId, long replyUserId,
                           String writing, long nowMs) {
        return jdbc.insert("id", "INSERT INTO trend_comments (trend_id, app_id, user_id, istype, comment_id,"
                        + " reply_user_id, writing, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                trendId, appId, userId, istype, commentId, replyUserId, writing, nowMs);
    }

    @Override
    public void notify(long appId, long userId) {
        if (jdbc.update("UPDATE trend_notices SET unread = unread + 1 WHERE app_id = ? AND user_id = ?",
                appId, userId) == 0) {
            jdbc.update("INSERT INTO trend_notices (app_id, user_id, unread) VALUES (?, ?, 1)", appId, userId);
        }
    }

    @Override
    public long unreadNotices(long appId, long userId) {
        return jdbc.scalar("SELECT unread FROM trend_notices WHERE app_id = ? AND user_id = ?", appId, userId);
    }

    @Override
    public void clearNotices(long appId, long userId) {
        jdbc.update("UPDATE trend_notices SET unread = 0 WHERE app_id = ? AND user_id = ?", appId, userId);
    }
}

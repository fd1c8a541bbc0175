-- Social graph of the reference system: friends, requests ("examine"), blocklist, moments ("circle").
-- Times are Unix ms.

-- 1 = 1:1 messages only between friends (NOT_FRIENDS 461 otherwise); 0 = anyone of the app (the default).
ALTER TABLE apps ADD COLUMN friends_only INTEGER NOT NULL DEFAULT 0;

-- A friendship is two rows, one per direction, each with its owner's remark for the other.
CREATE TABLE friends (
    app_id     BIGINT  NOT NULL,
    user_id    BIGINT  NOT NULL,
    friend_id  BIGINT  NOT NULL,
    remark     TEXT    NOT NULL DEFAULT '',
    way        INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL,
    PRIMARY KEY (app_id, user_id, friend_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- user_id refuses 1:1 messages from blocked_id (one direction).
CREATE TABLE blocks (
    app_id     BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    blocked_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (app_id, user_id, blocked_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A request: type 1 to befriend user target_id, type 2 to join group target_id. examine 0 pending, 1 accepted,
-- 2 refused; is_read: whether the addressee (the user, or the group's managers) has listed it.
CREATE TABLE examines (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    app_id       BIGINT  NOT NULL,
    requester_id BIGINT  NOT NULL,
    type         INTEGER NOT NULL,
    target_id    BIGINT  NOT NULL,
    remark       TEXT    NOT NULL DEFAULT '',
    way          INTEGER NOT NULL DEFAULT 0,
    examinetext  TEXT    NOT NULL DEFAULT '',
    examine      INTEGER NOT NULL DEFAULT 0,
    is_read      INTEGER NOT NULL DEFAULT 0,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE INDEX examines_by_target ON examines (app_id, type, target_id, id);
CREATE INDEX examines_by_requester ON examines (app_id, requester_id, type, target_id);

-- Posts of the moments feed. audience 0: all the author's friends; 1: only those in trend_audience.
CREATE TABLE trends (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    app_id     BIGINT  NOT NULL,
    user_id    BIGINT  NOT NULL,
    writing    TEXT    NOT NULL DEFAULT '',
    imgs       TEXT    NOT NULL DEFAULT '',
    videos     TEXT    NOT NULL DEFAULT '',
    audience   INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE INDEX trends_by_author ON trends (app_id, user_id, id);

CREATE TABLE trend_audience (
    trend_id BIGINT NOT NULL,
    user_id  BIGINT NOT NULL,
    PRIMARY KEY (trend_id, user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE trend_thumbs (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    trend_id   BIGINT NOT NULL,
    app_id     BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE UNIQUE INDEX trend_thumbs_by_user ON trend_thumbs (trend_id, user_id);

-- istype 1 comment, 2 reply to comment_id (written by reply_user_id).
CREATE TABLE trend_comments (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    trend_id      BIGINT  NOT NULL,
    app_id        BIGINT  NOT NULL,
    user_id       BIGINT  NOT NULL,
    istype        INTEGER NOT NULL,
    comment_id    BIGINT  NOT NULL DEFAULT 0,
    reply_user_id BIGINT  NOT NULL DEFAULT 0,
    writing       TEXT    NOT NULL DEFAULT '',
    created_at    BIGINT  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE INDEX trend_comments_by_trend ON trend_comments (trend_id, id);

-- New thumbs and comments by others on the user's own posts since it last read its feed.
CREATE TABLE trend_notices (
    app_id  BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    unread  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (app_id, user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

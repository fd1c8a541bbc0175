-- Schema of the embedded default (SQLite). Times are Unix ms.
CREATE TABLE apps (
    app_id     INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    secret     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE users (
    app_id     INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    nickname   TEXT    NOT NULL DEFAULT '',
    avatar_url TEXT    NOT NULL DEFAULT '',
    sex        INTEGER NOT NULL DEFAULT 0,
    sign       TEXT    NOT NULL DEFAULT '',
    account    TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (app_id, user_id)
);

-- A group is also the head of its message stream (read diffusion).
CREATE TABLE im_groups (
    group_id         INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id           INTEGER NOT NULL,
    name             TEXT    NOT NULL DEFAULT '',
    introduction     TEXT    NOT NULL DEFAULT '',
    avatar           TEXT    NOT NULL DEFAULT '',
    owner_id         INTEGER NOT NULL,
    type             INTEGER NOT NULL DEFAULT 0,
    extra            TEXT    NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    last_seq         INTEGER NOT NULL DEFAULT 0,
    last_message_id  INTEGER NOT NULL DEFAULT 0,
    last_sender_id   INTEGER NOT NULL DEFAULT 0,
    last_sender_name TEXT    NOT NULL DEFAULT '',
    last_preview     TEXT    NOT NULL DEFAULT '',
    last_time        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE group_members (
    group_id  INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    app_id    INTEGER NOT NULL,
    role      INTEGER NOT NULL,
    label     TEXT    NOT NULL DEFAULT '',
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_by_user ON group_members (app_id, user_id);

-- One row per user and peer. For 1:1 the row is also the head of the owner's own stream (write diffusion);
-- for a group it holds the member's read index (read_seq) and visibility window (joined_seq, and last_seq once left).
CREATE TABLE conversations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id           INTEGER NOT NULL,
    owner_id         INTEGER NOT NULL,
    peer_type        INTEGER NOT NULL,
    peer_id          INTEGER NOT NULL,
    top              INTEGER NOT NULL DEFAULT 1,
    disturb          INTEGER NOT NULL DEFAULT 1,
    remark           TEXT    NOT NULL DEFAULT '',
    active           INTEGER NOT NULL DEFAULT 1,
    joined_seq       INTEGER NOT NULL DEFAULT 0,
    last_seq         INTEGER NOT NULL DEFAULT 0,
    read_seq         INTEGER NOT NULL DEFAULT 0,
    last_message_id  INTEGER NOT NULL DEFAULT 0,
    last_sender_id   INTEGER NOT NULL DEFAULT 0,
    last_sender_name TEXT    NOT NULL DEFAULT '',
    last_preview     TEXT    NOT NULL DEFAULT '',
    update_time      INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    UNIQUE (app_id, owner_id, peer_type, peer_id)
);
CREATE INDEX conversations_by_group ON conversations (peer_type, peer_id, active);

-- Every stored message: stream_type 1 = one user's 1:1 conversation copy (stream_id = conversation id),
-- 2 = a group's single copy (stream_id = group id). seq is gap-free within a stream.
CREATE TABLE messages (
    id               INTEGER PRIMARY KEY,
    app_id           INTEGER NOT NULL,
    stream_type      INTEGER NOT NULL,
    stream_id        INTEGER NOT NULL,
    seq              INTEGER NOT NULL,
    sender_type      INTEGER NOT NULL,
    sender_id        INTEGER NOT NULL,
    sender_device_id INTEGER NOT NULL,
    receiver_type    INTEGER NOT NULL,
    receiver_id      INTEGER NOT NULL,
    to_user_ids      TEXT    NOT NULL DEFAULT '',
    message_type     INTEGER NOT NULL,
    body             BLOB    NOT NULL,
    send_time        INTEGER NOT NULL,
    status           INTEGER NOT NULL DEFAULT 0,
    sender_name      TEXT    NOT NULL DEFAULT '',
    sender_avatar    TEXT    NOT NULL DEFAULT '',
    help             INTEGER NOT NULL DEFAULT 0,
    preview          TEXT    NOT NULL DEFAULT '',
    UNIQUE (stream_type, stream_id, seq)
);

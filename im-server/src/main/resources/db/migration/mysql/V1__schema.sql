-- Schema on MariaDB/MySQL (InnoDB, utf8mb4): the SQLite schema (db/migration/sqlite, V1 and V2) with MariaDB's types. Times are Unix ms.
CREATE TABLE apps (
    app_id     BIGINT PRIMARY KEY,
    name       TEXT   NOT NULL,
    secret     TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE users (
    app_id     BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    nickname   TEXT   NOT NULL DEFAULT '',
    avatar_url TEXT   NOT NULL DEFAULT '',
    sex        INTEGER NOT NULL DEFAULT 0,
    sign       TEXT   NOT NULL DEFAULT '',
    account    TEXT   NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (app_id, user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE im_groups (
    group_id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    app_id           BIGINT NOT NULL,
    name             TEXT   NOT NULL DEFAULT '',
    introduction     TEXT   NOT NULL DEFAULT '',
    avatar           TEXT   NOT NULL DEFAULT '',
    owner_id         BIGINT NOT NULL,
    type             INTEGER NOT NULL DEFAULT 0,
    extra            TEXT   NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    last_seq         BIGINT NOT NULL DEFAULT 0,
    last_message_id  BIGINT NOT NULL DEFAULT 0,
    last_sender_id   BIGINT NOT NULL DEFAULT 0,
    last_sender_name TEXT   NOT NULL DEFAULT '',
    last_preview     TEXT   NOT NULL DEFAULT '',
    last_time        BIGINT NOT NULL DEFAULT 0,
    version          BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE group_members (
    group_id  BIGINT  NOT NULL,
    user_id   BIGINT  NOT NULL,
    app_id    BIGINT  NOT NULL,
    role      INTEGER NOT NULL,
    label     TEXT    NOT NULL DEFAULT '',
    joined_at BIGINT  NOT NULL,
    PRIMARY KEY (group_id, user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE INDEX group_members_by_user ON group_members (app_id, user_id);

CREATE TABLE conversations (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    app_id           BIGINT  NOT NULL,
    owner_id         BIGINT  NOT NULL,
    peer_type        INTEGER NOT NULL,
    peer_id          BIGINT  NOT NULL,
    top              INTEGER NOT NULL DEFAULT 1,
    disturb          INTEGER NOT NULL DEFAULT 1,
    remark           TEXT    NOT NULL DEFAULT '',
    active           INTEGER NOT NULL DEFAULT 1,
    joined_seq       BIGINT  NOT NULL DEFAULT 0,
    last_seq         BIGINT  NOT NULL DEFAULT 0,
    read_seq         BIGINT  NOT NULL DEFAULT 0,
    last_message_id  BIGINT  NOT NULL DEFAULT 0,
    last_sender_id   BIGINT  NOT NULL DEFAULT 0,
    last_sender_name TEXT    NOT NULL DEFAULT '',
    last_preview     TEXT    NOT NULL DEFAULT '',
    update_time      BIGINT  NOT NULL,
    created_at       BIGINT  NOT NULL,
    version          BIGINT  NOT NULL DEFAULT 0,
    peer_read_seq    BIGINT  NOT NULL DEFAULT 0,
    UNIQUE (app_id, owner_id, peer_type, peer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE INDEX conversations_by_group ON conversations (peer_type, peer_id, active);
CREATE INDEX conversations_by_owner_version ON conversations (app_id, owner_id, version);

CREATE TABLE messages (
    id               BIGINT  PRIMARY KEY,
    app_id           BIGINT  NOT NULL,
    stream_type      INTEGER NOT NULL,
    stream_id        BIGINT  NOT NULL,
    seq              BIGINT  NOT NULL,
    sender_type      INTEGER NOT NULL,
    sender_id        BIGINT  NOT NULL,
    sender_device_id BIGINT  NOT NULL,
    receiver_type    INTEGER NOT NULL,
    receiver_id      BIGINT  NOT NULL,
    to_user_ids      TEXT    NOT NULL DEFAULT '',
    message_type     INTEGER NOT NULL,
    body             LONGBLOB NOT NULL,
    send_time        BIGINT  NOT NULL,
    status           INTEGER NOT NULL DEFAULT 0,
    sender_name      TEXT    NOT NULL DEFAULT '',
    sender_avatar    TEXT    NOT NULL DEFAULT '',
    help             INTEGER NOT NULL DEFAULT 0,
    preview          TEXT    NOT NULL DEFAULT '',
    client_msg_id    TEXT    NOT NULL DEFAULT '',
    pair_seq         BIGINT  NOT NULL DEFAULT 0,
    UNIQUE (stream_type, stream_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE sent_messages (
    app_id          BIGINT NOT NULL,
    sender_id       BIGINT NOT NULL,
    client_msg_id   VARCHAR(191) NOT NULL,
    message_id      BIGINT NOT NULL,
    conversation_id BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (app_id, sender_id, client_msg_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE INDEX sent_messages_by_time ON sent_messages (created_at);

CREATE TABLE mentions (
    app_id   BIGINT NOT NULL,
    user_id  BIGINT NOT NULL,
    group_id BIGINT NOT NULL,
    seq      BIGINT NOT NULL,
    PRIMARY KEY (app_id, user_id, group_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE hidden_messages (
    app_id     BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    message_id BIGINT NOT NULL,
    PRIMARY KEY (app_id, user_id, message_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Delivery guarantees: exactly-once send, read receipts, incremental conversation list, mentions, delete-for-me.

-- client_msg_id: as sent; pair_seq: in 1:1, the seq of the other participant's copy of the same message.
ALTER TABLE messages ADD COLUMN client_msg_id TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN pair_seq INTEGER NOT NULL DEFAULT 0;

-- version: when the owner's view of the conversation last changed (grows monotonically across the store).
-- peer_read_seq: 1:1, the peer has read the owner's messages up to this seq of the owner's stream.
ALTER TABLE conversations ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN peer_read_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX conversations_by_owner_version ON conversations (app_id, owner_id, version);

-- version of the group's head: a new group message changes every active member's view at once.
ALTER TABLE im_groups ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- Exactly-once send: (app, sender, client_msg_id) -> the sender's stored record.
CREATE TABLE sent_messages (
    app_id          INTEGER NOT NULL,
    sender_id       INTEGER NOT NULL,
    client_msg_id   TEXT    NOT NULL,
    message_id      INTEGER NOT NULL,
    conversation_id INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (app_id, sender_id, client_msg_id)
);
CREATE INDEX sent_messages_by_time ON sent_messages (created_at);

-- Group mentions: one row per mentioned member and message; unread while seq > the member's read_seq.
CREATE TABLE mentions (
    app_id   INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    group_id INTEGER NOT NULL,
    seq      INTEGER NOT NULL,
    PRIMARY KEY (app_id, user_id, group_id, seq)
);

-- Delete for me, for group messages (a 1:1 copy is the owner's own and is marked deleted in place).
CREATE TABLE hidden_messages (
    app_id     INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (app_id, user_id, message_id)
);

-- Business API: token revocation, app disabling, webhooks and their durable outbox. Times are Unix ms.

-- Tokens of the user issued at or before this time are refused at sign-in (0: none revoked).
ALTER TABLE users ADD COLUMN tokens_revoked_at INTEGER NOT NULL DEFAULT 0;
-- A disabled app's sign-ins are refused (0: enabled).
ALTER TABLE apps ADD COLUMN disabled_at INTEGER NOT NULL DEFAULT 0;

-- One webhook per app: where events go, which, and how the before-send hook behaves.
CREATE TABLE webhooks (
    app_id                 INTEGER PRIMARY KEY,
    url                    TEXT    NOT NULL,
    secret                 TEXT    NOT NULL,
    events                 TEXT    NOT NULL DEFAULT '',
    before_send            INTEGER NOT NULL DEFAULT 0,
    before_send_timeout_ms INTEGER NOT NULL DEFAULT 2000,
    fail_open              INTEGER NOT NULL DEFAULT 1,
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL
);

-- After-events waiting for delivery, written in the transaction of the change they describe. Delivered rows are
-- deleted; rows of one (app_id, order_key) go out one at a time in id order. A node claims a row by setting
-- claimed_by and lease_until (a crashed node's lease simply runs out).
CREATE TABLE webhook_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id          INTEGER NOT NULL,
    event           TEXT    NOT NULL,
    order_key       TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    lease_until     INTEGER NOT NULL DEFAULT 0,
    claimed_by      TEXT    NOT NULL DEFAULT '',
    last_error      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX webhook_outbox_by_key ON webhook_outbox (app_id, order_key, id);
CREATE INDEX webhook_outbox_by_due ON webhook_outbox (next_attempt_at);

-- Business API: token revocation, app disabling, webhooks and their durable outbox. Times are Unix ms.

-- Tokens of the user issued at or before this time are refused at sign-in (0: none revoked).
ALTER TABLE users ADD COLUMN tokens_revoked_at BIGINT NOT NULL DEFAULT 0;
-- A disabled app's sign-ins are refused (0: enabled).
ALTER TABLE apps ADD COLUMN disabled_at BIGINT NOT NULL DEFAULT 0;

-- One webhook per app: where events go, which, and how the before-send hook behaves.
CREATE TABLE webhooks (
    app_id                 BIGINT PRIMARY KEY,
    url                    TEXT    NOT NULL,
    secret                 TEXT    NOT NULL,
    events                 TEXT    NOT NULL DEFAULT '',
    before_send            INTEGER NOT NULL DEFAULT 0,
    before_send_timeout_ms BIGINT NOT NULL DEFAULT 2000,
    fail_open              INTEGER NOT NULL DEFAULT 1,
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- After-events waiting for delivery, written in the transaction of the change they describe. Delivered rows are
-- deleted; rows of one (app_id, order_key) go out one at a time in id order. A node claims a row by setting
-- claimed_by and lease_until (a crashed node's lease simply runs out).
CREATE TABLE webhook_outbox (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    app_id          BIGINT NOT NULL,
    event           VARCHAR(64)   NOT NULL,
    order_key       VARCHAR(191)   NOT NULL,
    payload         TEXT    NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL DEFAULT 0,
    lease_until     BIGINT NOT NULL DEFAULT 0,
    claimed_by      VARCHAR(64) NOT NULL DEFAULT '',
    last_error      TEXT    NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE INDEX webhook_outbox_by_key ON webhook_outbox (app_id, order_key, id);
CREATE INDEX webhook_outbox_by_due ON webhook_outbox (next_attempt_at);

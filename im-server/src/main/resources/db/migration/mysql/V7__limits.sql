-- Per-app command rates (see docs/reliability-limits.md): 0 means the server's setting (IM_RATE_*).
ALTER TABLE apps ADD COLUMN rate_conn_per_s INT NOT NULL DEFAULT 0;
ALTER TABLE apps ADD COLUMN rate_conn_burst INT NOT NULL DEFAULT 0;
ALTER TABLE apps ADD COLUMN rate_user_per_s INT NOT NULL DEFAULT 0;
ALTER TABLE apps ADD COLUMN rate_user_burst INT NOT NULL DEFAULT 0;

package io.imserver.store.jdbc;

import io.imserver.store.OutboxEvent;
import io.imserver.store.Webhook;
import io.imserver.store.WebhookRepository;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * @implNote A claim is a conditional UPDATE (the row is still unclaimed or its lease ran out): on every engine
 * exactly one node's UPDATE changes the row, so several nodes on one database never deliver the same claim twice.
 * The same SQL runs on SQLite, PostgreSQL and MariaDB (no {@code SKIP LOCKED} needed).
 */
final class JdbcWebhookRepository implements WebhookRepository {
    private static final String COLUMNS = "app_id, url, secret, events, before_send, before_send_timeout_ms,"
            + " fail_open, created_at, updated_at";

    private final Jdbc jdbc;

    JdbcWebhookRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Webhook> find(long appId) {
        return jdbc.one("SELECT " + COLUMNS + " FROM webhooks WHERE app_id = ?",
                rs -> new Webhook(rs.getLong(1), rs.getString(2), rs.getString(3), events(rs.getString(4)),
                        rs.getInt(5) != 0, rs.getLong(6), rs.getInt(7) != 0, rs.getLong(8), rs.getLong(9)),
                appId);
    }

    private static java.util.Set<String> events(String csv) {
        return csv.isEmpty() ? java.util.Set.of() : new TreeSet<>(Arrays.asList(csv.split(",")));
    }

    @Override
    public Webhook put(Webhook w) {
        var events = String.join(",", new TreeSet<>(w.events()));
        int updated = jdbc.update("UPDATE webhooks SET url = ?, secret = ?, events = ?, before_send = ?,"
                        + " before_send_timeout_ms = ?, fail_open = ?, updated_at = ? WHERE app_id = ?",
                w.url(), w.secret(), events, w.beforeSend() ? 1 : 0, w.beforeSendTimeoutMs(), w.failOpen() ? 1 : 0,
                w.updatedAt(), w.appId());
        if (updated == 0) {
            jdbc.update("INSERT INTO webhooks (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    w.appId(), w.url(), w.secret(), events, w.beforeSend() ? 1 : 0, w.beforeSendTimeoutMs(),
                    w.failOpen() ? 1 : 0, w.createdAt(), w.updatedAt());
        }
        return find(w.appId()).orElseThrow();
    }

    @Override
    public boolean delete(long appId) {
        return jdbc.update("DELETE FROM webhooks WHERE app_id = ?", appId) > 0;
    }

    @Override
    public boolean any() {
        return jdbc.one("SELECT 1 FROM webhooks LIMIT 1", rs -> rs.getInt(1)).isPresent();
    }

    @Override
    public void append(long appId, String event, String orderKey, String payload, long nowMs) {
        jdbc.update("INSERT INTO webhook_outbox (app_id, event, order_key, payload, created_at, next_attempt_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", appId, event, orderKey, payload, nowMs, nowMs);
    }

    @Override
    public List<OutboxEvent> due(long nowMs, int limit) {
        return jdbc.list("SELECT o.id, o.app_id, o.event, o.order_key, o.payload, o.created_at, o.attempts"
                        + " FROM webhook_outbox o WHERE o.next_attempt_at <= ? AND o.lease_until <= ?"
                        + " AND NOT EXISTS (SELECT 1 FROM webhook_outbox p WHERE p.app_id = o.app_id"
                        + " AND p.order_key = o.order_key AND p.id < o.id) ORDER BY o.id LIMIT ?",
                rs -> new OutboxEvent(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getLong(6), rs.getInt(7)),
                nowMs, nowMs, limit);
    }

    @Override
    public boolean claim(long id, String node, long leaseUntilMs, long nowMs) {
        return jdbc.update("UPDATE webhook_outbox SET claimed_by = ?, lease_until = ? WHERE id = ?"
                + " AND lease_until <= ? AND next_attempt_at <= ?", node, leaseUntilMs, id, nowMs, nowMs) == 1;
    }

    @Override
    public void delivered(long id) {
        jdbc.update("DELETE FROM webhook_outbox WHERE id = ?", id);
    }

    @Override
    public void retryLater(long id, int attempts, long nextAttemptAtMs, String error) {
        jdbc.update("UPDATE webhook_outbox SET attempts = ?, next_attempt_at = ?, lease_until = 0, claimed_by = '',"
                + " last_error = ? WHERE id = ?", attempts, nextAttemptAtMs, error, id);
    }

    @Override
    public long pending() {
        return jdbc.scalar("SELECT COUNT(*) FROM webhook_outbox");
    }
}

package io.imserver.api;

import java.util.Map;

/**
 * What {@code GET /healthz} answers: 200 {@code {"status":"ok", ...checks}} when {@code ok}, else 503 with
 * {@code "status":"unavailable"}. The checks name each dependency's state, e.g. {@code "database":"up"}.
 */
public record Health(boolean ok, Map<String, Object> checks) {
    public Health {
        checks = Map.copyOf(checks);
    }
}

package io.imserver.messaging.webhook;

import io.imserver.cluster.DeviceConnection;
import io.imserver.cluster.Presence;
import io.imserver.store.Store;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pb.Output;

/**
 * A {@link Presence} that records {@code device.online} when a device signs in and {@code device.offline} when its
 * last connection goes (a connection replaced by a newer one of the same device records nothing). The event is
 * queued as a write of its own, off the caller's thread; events of one device keep their order.
 */
public final class PresenceEventRecorder implements Presence {
    private static final Logger log = LoggerFactory.getLogger(PresenceEventRecorder.class);

    private final Presence delegate;
    private final Store store;
    private final WebhookSettings settings;
    private final Clock clock;

    public PresenceEventRecorder(Presence delegate, Store store, WebhookSettings settings, Clock clock) {
        this.delegate = delegate;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void register(DeviceConnection connection) {
        boolean wasOnline = delegate.devices(connection.appId(), connection.userId()).contains(connection.deviceId());
        delegate.register(connection);
        if (!wasOnline) { // a device signing in again replaces its connection: it never went offline
            record(WebhookEvents.DEVICE_ONLINE, connection.appId(), connection.userId(), connection.deviceId());
        }
    }

    @Override
    public void unregister(DeviceConnection connection) {
        boolean wasOnline = delegate.devices(connection.appId(), connection.userId()).contains(connection.deviceId());
        delegate.unregister(connection);
        if (wasOnline && !delegate.devices(connection.appId(), connection.userId()).contains(connection.deviceId())) {
            record(WebhookEvents.DEVICE_OFFLINE, connection.appId(), connection.userId(), connection.deviceId());
        }
    }

    private void record(String event, long appId, long userId, long deviceId) {
        if (!settings.mayWant(appId, event)) {
            return; // known without a read: no write queued per sign-in for apps without such a webhook
        }
        long now = clock.millis();
        store.write(tx -> {
            if (settings.cached(tx, appId).filter(w -> w.wants(event)).isPresent()) {
                var body = WebhookPayloads.event(event, appId, now).put("user_id", userId).put("device_id", deviceId);
                tx.webhooks().append(appId, event, "d:" + userId + ":" + deviceId, WebhookPayloads.text(body), now);
            }
            return null;
        }).whenComplete((ok, e) -> {
            if (e != null) {
                log.warn("could not record {} of app {} user {} device {}: {}", event, appId, userId, deviceId,
                        e.getMessage());
            }
        });
    }

    @Override
    public void deliver(long appId, long userId, long exceptDeviceId, Output output) {
        delegate.deliver(appId, userId, exceptDeviceId, output);
    }

    @Override
    public void deliverAll(List<io.imserver.cluster.Push> pushes) {
        delegate.deliverAll(pushes);
    }

    @Override
    public boolean isOnline(long appId, long userId) {
        return delegate.isOnline(appId, userId);
    }

    @Override
    public boolean mayBeOnline(long appId, long userId) {
        return delegate.mayBeOnline(appId, userId);
    }

    @Override
    public boolean mayBeOnlineBesides(long appId, long userId, long exceptDeviceId) {
        return delegate.mayBeOnlineBesides(appId, userId, exceptDeviceId);
    }

    @Override
    public List<Long> devices(long appId, long userId) {
        return delegate.devices(appId, userId);
    }

    @Override
    public boolean kick(long appId, long userId, long deviceId) {
        boolean kicked = delegate.kick(appId, userId, deviceId);
        if (kicked && !delegate.devices(appId, userId).contains(deviceId)) {
            record(WebhookEvents.DEVICE_OFFLINE, appId, userId, deviceId); // the later unregister finds it gone
        }
        return kicked;
    }

    @Override
    public int kickApp(long appId) {
        return delegate.kickApp(appId);
    }

    @Override
    public int connectionCount() {
        return delegate.connectionCount();
    }
}

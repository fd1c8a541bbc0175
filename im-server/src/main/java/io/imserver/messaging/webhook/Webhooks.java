package io.imserver.messaging.webhook;

import io.imserver.cluster.Presence;
import io.imserver.messaging.SendGate;
import io.imserver.store.Store;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * The webhook machinery of a node, built around its store and presence: use {@link #store()} and
 * {@link #presence()} in their place so that changes are recorded in the outbox, {@link #gate()} for the
 * before-send hook, {@link #settings()} for the admin API; {@link #start()} starts delivering.
 */
public final class Webhooks implements AutoCloseable {
    private final WebhookSettings settings;
    private final Store store;
    private final Presence presence;
    private final BeforeSendGate gate;
    private final OutboxDispatcher dispatcher;

    public Webhooks(Store store, Presence presence, Clock clock, OutboxDispatcher.Settings dispatch) {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
        this.settings = new WebhookSettings(store, clock);
        this.store = new OutboxRecordingStore(store, settings, presence, clock);
        this.presence = new PresenceEventRecorder(presence, this.store, settings, clock);
        this.gate = new BeforeSendGate(settings, http, clock);
        this.dispatcher = new OutboxDispatcher(store, settings, http, clock, dispatch);
    }

    public Store store() {
        return store;
    }

    public Presence presence() {
        return presence;
    }

    public SendGate gate() {
        return gate;
    }

    public WebhookSettings settings() {
        return settings;
    }

    public void start() {
        dispatcher.start();
    }

    @Override
    public void close() {
        dispatcher.close();
    }
}

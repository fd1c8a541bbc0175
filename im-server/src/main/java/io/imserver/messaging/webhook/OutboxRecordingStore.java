package io.imserver.messaging.webhook;

import io.imserver.cluster.Presence;
import io.imserver.store.HeadKey;
import io.imserver.store.SentKey;
import io.imserver.store.Store;
import io.imserver.store.StoreTx;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link Store} that writes after-events into the outbox in the same transaction as the change they describe, so an
 * event exists exactly when its change committed (and survives a crash with it). It watches the repositories the
 * use cases write through; the use cases themselves know nothing of webhooks. What is recorded: {@link OutboxRecorder}.
 */
public final class OutboxRecordingStore implements Store {
    private final Store delegate;
    private final WebhookSettings settings;
    private final Presence presence;
    private final Clock clock;

    public OutboxRecordingStore(Store delegate, WebhookSettings settings, Presence presence, Clock clock) {
        this.delegate = delegate;
        this.settings = settings;
        this.presence = presence;
        this.clock = clock;
    }

    /** The writer's transaction seen last and its wrapper; only the writer thread runs write work. */
    private StoreTx lastTx;
    private StoreTx lastRecording;

    @Override
    public <T> CompletableFuture<T> write(Work<T> work, Consumer<? super T> afterCommit, List<HeadKey> heads,
                                          SentKey clientMsgId) {
        return delegate.write(tx -> work.run(recording(tx)), afterCommit, heads, clientMsgId);
    }

    /** The writer keeps its repositories for the life of its connection: so can the wrapper. */
    private StoreTx recording(StoreTx tx) {
        if (!settings.anyConfigured(tx)) {
            return tx; // no app has a webhook: nothing to record
        }
        if (tx != lastTx) {
            lastRecording = new OutboxRecorder(tx, settings, presence, clock).view();
            lastTx = tx;
        }
        return lastRecording;
    }

    @Override
    public <T> T read(Work<T> work) {
        return delegate.read(work);
    }

    @Override
    public long versionFloor() {
        return delegate.versionFloor();
    }

    @Override
    public void invalidateCaches() {
        delegate.invalidateCaches();
    }

    @Override
    public boolean healthy() {
        return delegate.healthy();
    }

    @Override
    public void close() {
        delegate.close();
    }
}

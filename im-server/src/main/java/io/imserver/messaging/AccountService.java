package io.imserver.messaging;

import io.imserver.cluster.Presence;
import io.imserver.protocol.ImException;
import io.imserver.store.GroupRole;
import io.imserver.store.Store;
import java.time.Clock;
import java.util.List;

/**
 * The admin's control over apps, users and devices: disable an app, revoke a user's tokens, delete a user, see and
 * kick devices. Refusals at sign-in follow from what is stored here ({@link DirectoryService} checks them).
 */
public final class AccountService {
    private final Store store;
    private final Presence presence;
    private final Clock clock;

    private final io.imserver.cluster.ClusterEvents events;

    /** @param events where a deleted user is announced, so that every node drops its cached profile */
    public AccountService(Store store, Presence presence, Clock clock, io.imserver.cluster.ClusterEvents events) {
        this.events = events;
        this.store = store;
        this.presence = presence;
        this.clock = clock;
    }

    /**
     * Refuses the user's tokens issued up to now at sign-in; connections already signed in stay.
     *
     * @return the revocation time (Unix ms)
     */
    public long revokeTokens(long appId, long userId) {
        long now = clock.millis();
        boolean found = store.write(tx -> tx.accounts().revokeTokens(appId, userId, now)).join();
        if (!found) {
            throw ImException.notFound("user " + userId + " does not exist in app " + appId);
        }
        return now;
    }

    /** Turns the app's "friends only" option on (1:1 sends only between friends) or off. */
    public void setFriendsOnly(long appId, boolean friendsOnly) {
        if (!store.write(tx -> tx.social().setFriendsOnly(appId, friendsOnly)).join()) {
            throw ImException.notFound("app " + appId + " does not exist");
        }
    }

    /** Whether the app sends 1:1 only between friends. */
    public boolean friendsOnly(long appId) {
        return store.read(tx -> tx.social().friendsOnly(appId));
    }

    /**
     * Disables the app (its sign-ins are refused and its connections on every node closed) or enables it again.
     *
     * @return when it was disabled (Unix ms), 0 when enabled
     */
    public long setAppDisabled(long appId, boolean disabled) {
        long at = disabled ? clock.millis() : 0;
        boolean found = store.write(tx -> tx.accounts().setAppDisabled(appId, at)).join();
        if (!found) {
            throw ImException.notFound("app " + appId + " does not exist");
        }
        if (disabled) {
            presence.kickApp(appId);
        }
        return at;
    }

    /** When the app was disabled (Unix ms), 0 if it is enabled. */
    public long appDisabledAt(long appId) {
        return store.read(tx -> tx.accounts().signInState(appId, 0))
                .orElseThrow(() -> ImException.notFound("app " + appId + " does not exist")).appDisabledAt();
    }

    /**
     * Deletes the user with its conversations, its own copies of 1:1 messages, its group memberships and its
     * per-user records, and closes its connections. Peers keep their own copies; group messages it sent stay in
     * the groups. A user who owns a group must first hand it over (or the group be deleted).
     */
    public void deleteUser(long appId, long userId) {
        store.write(tx -> {
            if (tx.users().find(appId, userId).isEmpty()) {
                throw ImException.notFound("user " + userId + " does not exist in app " + appId);
            }
            var owned = tx.groups().byMember(appId, userId, Boolean.TRUE).stream()
                    .filter(g -> tx.groups().member(g.groupId(), userId).map(m -> m.role() == GroupRole.OWNER)
                            .orElse(false))
                    .map(g -> g.groupId()).toList();
            if (!owned.isEmpty()) {
                throw ImException.invalid("user " + userId + " owns groups " + owned
                        + " (expected: transfer or delete them first)");
            }
            tx.accounts().deleteUser(appId, userId);
            return null;
        }).join();
        events.publish(DirectoryService.userChanged(appId, userId));
        for (long device : presence.devices(appId, userId)) {
            presence.kick(appId, userId, device);
        }
    }

    /** Device ids of the user's signed-in connections, ascending. */
    public List<Long> onlineDevices(long appId, long userId) {
        return presence.devices(appId, userId);
    }

    /** Closes the device's connection (push {@code kick}, code 410). @return whether it was connected */
    public boolean kickDevice(long appId, long userId, long deviceId) {
        return presence.kick(appId, userId, deviceId);
    }
}

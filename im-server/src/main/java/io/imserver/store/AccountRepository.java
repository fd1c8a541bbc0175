package io.imserver.store;

import java.util.Optional;

/** What the admin API changes beyond profiles: sign-in refusals, deletions and group ownership. */
public interface AccountRepository {
    /**
     * Whether sign-in is refused for the app or the user. Times are Unix ms; 0 = not disabled / never revoked.
     * {@code userExists}: false once the user was deleted (its tokens are refused then).
     */
    record SignInState(long appDisabledAt, long tokensRevokedAt, boolean userExists) {
    }

    /** The app's and the user's sign-in state; empty when the app does not exist (a missing user reads as 0). */
    Optional<SignInState> signInState(long appId, long userId);

    /** Refuses the user's tokens issued at or before {@code atMs}. @return whether the user exists */
    boolean revokeTokens(long appId, long userId, long atMs);

    /** {@code atMs} > 0 disables the app from then; 0 enables it. @return whether the app exists */
    boolean setAppDisabled(long appId, long atMs);

    /** The user's profile changed: every conversation with the user as peer gets a new version (incremental lists). */
    void peerProfileChanged(long appId, long userId);

    /** Deletes the user, its conversations, its 1:1 message copies, memberships and per-user records. */
    void deleteUser(long appId, long userId);

    /** Renames or re-describes the group; the change shows in members' conversation lists. */
    void updateGroup(long groupId, String name, String introduction, String avatar, long nowMs);

    /** Deletes the group, its messages, its members and their conversations with it. */
    void deleteGroup(long groupId);

    /** Records the group's new owner (its role is set through {@link GroupRepository#putMember}). */
    void setGroupOwner(long groupId, long ownerId, long nowMs);
}

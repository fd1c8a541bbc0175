package io.imserver.store;

import java.util.Optional;

/** Users of an app. */
public interface UserRepository {
    Optional<User> find(long appId, long userId);

    /** Creates or replaces the profile; {@code createdAt} of an existing user is kept. */
    User upsert(User user);
}

package io.imserver.store;

/** The repositories, bound to one transaction (or, for reads, one connection). */
public interface StoreTx {
    AppRepository apps();

    UserRepository users();

    GroupRepository groups();

    ConversationRepository conversations();

    MessageRepository messages();

    AccountRepository accounts();

    WebhookRepository webhooks();

    SocialRepository social();

    MomentRepository moments();

    /**
     * In a write: the version every change of this write is stamped with; greater than any committed before it.
     * In a read: the newest version whose changes are all committed.
     */
    long version();
}

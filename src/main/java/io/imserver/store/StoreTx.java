package io.imserver.store;

/** The repositories, bound to one transaction (or, for reads, one connection). */
public interface StoreTx {
    AppRepository apps();

    UserRepository users();

    GroupRepository groups();

    ConversationRepository conversations();

    MessageRepository messages();
}

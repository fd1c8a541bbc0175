package io.imserver.store.jdbc;

import io.imserver.store.AccountRepository;
import io.imserver.store.AppRepository;
import io.imserver.store.ConversationRepository;
import io.imserver.store.GroupRepository;
import io.imserver.store.MessageRepository;
import io.imserver.store.MomentRepository;
import io.imserver.store.SocialRepository;
import io.imserver.store.StoreTx;
import io.imserver.store.UserRepository;
import io.imserver.store.WebhookRepository;
import java.sql.Connection;

/** The JDBC repositories over one connection. */
final class JdbcStoreTx implements StoreTx {
    private final AppRepository apps;
    private final UserRepository users;
    private final GroupRepository groups;
    private final ConversationRepository conversations;
    private final MessageRepository messages;
    private final AccountRepository accounts;
    private final WebhookRepository webhooks;
    private final SocialRepository social;
    private final MomentRepository moments;

    private final java.util.function.LongSupplier version;
    private final Jdbc jdbc;

    /** A reader's repositories: statements closed after use; cached profiles are read, never filled. */
    static JdbcStoreTx reader(Connection connection, java.util.function.LongSupplier version, WriterCache cache) {
        return new JdbcStoreTx(connection, version, cache, false, () -> {
            throw new IllegalStateException("a read connection stores no messages");
        }, "");
    }

    /**
     * The writer's repositories: statements kept prepared for the connection's life, and the writer's cache.
     *
     * @param lockingRead appended to the SELECTs that read a stream head ({@code " FOR UPDATE"} when other nodes
     *     write the same database, else empty)
     */
    static JdbcStoreTx writer(Connection connection, java.util.function.LongSupplier version, WriterCache cache,
                              java.util.function.LongSupplier messageIds, String lockingRead) {
        return new JdbcStoreTx(connection, version, cache, true, messageIds, lockingRead);
    }

    /** @param version the version of the current write task, or the committed version floor for reads */
    private JdbcStoreTx(Connection connection, java.util.function.LongSupplier version, WriterCache cache,
                        boolean writer, java.util.function.LongSupplier messageIds, String lockingRead) {
        var jdbc = new Jdbc(connection, writer);
        this.jdbc = jdbc;
        this.version = version;
        apps = new JdbcAppRepository(jdbc);
        users = new JdbcUserRepository(jdbc, cache, writer);
        groups = new JdbcGroupRepository(jdbc, version, writer ? cache : null, lockingRead);
        conversations = new JdbcConversationRepository(jdbc, version, writer ? cache : null, lockingRead);
        messages = new JdbcMessageRepository(jdbc, messageIds, writer ? cache : null);
        accounts = new JdbcAccountRepository(jdbc, version, writer ? cache : null);
        webhooks = new JdbcWebhookRepository(jdbc);
        social = new JdbcSocialRepository(jdbc, writer ? cache : null);
        moments = new JdbcMomentRepository(jdbc);
    }

    /** Locks the heads (sorted) until the transaction ends: 1:1 conversations first, then groups. */
    void lockHeads(java.util.List<io.imserver.store.HeadKey> sorted) {
        var direct = sorted.stream().filter(h -> h.peerType() == io.imserver.store.PeerType.USER.code()).toList();
        var groups = sorted.stream().filter(h -> h.peerType() == io.imserver.store.PeerType.GROUP.code()).toList();
        ((JdbcConversationRepository) conversations).lockDirectHeads(direct);
        ((JdbcGroupRepository) this.groups).lockGroups(groups);
    }

    /** Reads the exactly-once entries of {@code keys} for the batch about to run (writer only). */
    void readSentEntries(java.util.List<io.imserver.store.SentKey> keys) {
        ((JdbcMessageRepository) messages).readEntries(keys);
    }

    /** The statements under the repositories: the writer flushes or drops their deferred rows. */
    Jdbc jdbc() {
        return jdbc;
    }

    @Override
    public long version() {
        return version.getAsLong();
    }

    @Override
    public AppRepository apps() {
        return apps;
    }

    @Override
    public UserRepository users() {
        return users;
    }

    @Override
    public GroupRepository groups() {
        return groups;
    }

    @Override
    public ConversationRepository conversations() {
        return conversations;
    }

    @Override
    public MessageRepository messages() {
        return messages;
    }

    @Override
    public AccountRepository accounts() {
        return accounts;
    }

    @Override
    public WebhookRepository webhooks() {
        return webhooks;
    }

    @Override
    public SocialRepository social() {
        return social;
    }

    @Override
    public MomentRepository moments() {
        return moments;
    }
}

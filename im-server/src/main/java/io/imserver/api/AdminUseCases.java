package io.imserver.api;

import io.imserver.auth.TokenService;
import io.imserver.messaging.AccountService;
import io.imserver.messaging.BusinessMessageService;
import io.imserver.messaging.ConversationService;
import io.imserver.messaging.DirectoryService;
import io.imserver.messaging.GroupAdminService;
import io.imserver.messaging.GroupService;
import io.imserver.messaging.HistoryService;
import io.imserver.messaging.SystemMessageService;
import io.imserver.messaging.webhook.WebhookSettings;

/** The use cases behind the admin HTTP API and the gRPC services: both call these, nothing else. */
public record AdminUseCases(DirectoryService directory, GroupService groups, GroupAdminService groupAdmin,
                            AccountService accounts, ConversationService conversations, HistoryService history,
                            BusinessMessageService messages, SystemMessageService system, WebhookSettings webhooks,
                            TokenService tokens) {
}

// The command API: one method per command of the server (docs/PROTOCOL.md, "Commands"), plus exactly-once send and
// catch-up by seq, on top of the connection.
import { decode, encode, type Init, type MessageName } from "./codec.js";
import { ImConnection } from "./connection.js";
import { ImError } from "./errors.js";
import type {
  AddConversationReq,
  AddConversationResp,
  ConversationResp,
  ConversationSettingReq,
  CreateGroupReq,
  CreateGroupResp,
  GetUserGroupsResp,
  GetUserInfoResp,
  GroupReadCount,
  MessageItem,
  Messages,
  Output,
  SendMessage,
  SyncReq,
  SyncResp,
} from "./generated/im.js";

/** The server's command names (Input.type), each answered by a reply of the same type. */
export const Commands = {
  sign: "sign",
  heartbeat: "heartbeat",
  sendMessage: "sendmessage",
  getConversationList: "getconversationlist",
  sync: "sync",
  messageRead: "messageread",
  addConversation: "addconversation",
  upConversation: "upconversation",
  disturbConversation: "disturbconversation",
  chatReadNum: "chatreadnum",
  getUserInfo: "getuserinfo",
  createGroup: "creatgroup",
  groupByUser: "groupbyuser",
  recall: "recall",
  deleteMessage: "deletemessage",
  typing: "typing",
  online: "online",
  groupReadCount: "groupreadcount",
} as const;

/** The largest page the server hands out for seq-based sync and conversation lists. */
const MAX_PAGE = 100;

export class ImClient extends ImConnection {
  /**
   * Sends a command whose reply has data; a reply code other than 200 rejects with ImError(code, message). Empty
   * reply data decodes as the message's defaults.
   */
  async call<Req extends MessageName, Res extends MessageName>(
    type: string,
    requestName: Req,
    request: Init<Messages[Req]>,
    replyName: Res,
  ): Promise<Messages[Res]> {
    const out = await this.request(type, encode(requestName, request));
    return parseReply(out, replyName);
  }

  /** Sends a command without reply data; a reply code other than 200 rejects with ImError(code, message). */
  async callNoReply<Req extends MessageName>(type: string, requestName?: Req, request?: Init<Messages[Req]>): Promise<void> {
    const data = requestName && request ? encode(requestName, request) : undefined;
    checkCode(await this.request(type, data));
  }

  /** `heartbeat`: resolves when the server answers (the client also beats by itself while connected). */
  heartbeat(): Promise<void> {
    return this.callNoReply(Commands.heartbeat);
  }

  /** `sendmessage`: resolves with the sender's stored record (id, conversation, seq, time) once it is durable. */
  sendMessage(message: Init<SendMessage>): Promise<MessageItem> {
    return this.call(Commands.sendMessage, "SendMessage", message, "MessageItem");
  }

  /**
   * `sendmessage` that survives a lost connection: stamps a `clientMsgId` when the message has none, and when the
   * connection drops before the reply (or is down when called), waits for the reconnect and sends the same message
   * again, at most `attempts` times in all. The server stores and pushes it once and answers a repeat with the
   * record of the first attempt. Rejects at once on an error reply, after close() or a kick, or when attempts run out.
   */
  async sendReliably(message: Init<SendMessage>, attempts = 5): Promise<MessageItem> {
    if (!(attempts >= 1)) throw new RangeError(`attempts: ${attempts} (expected: >= 1)`);
    const stamped = message.clientMsgId ? message : { ...message, clientMsgId: newClientMsgId() };
    for (let left = attempts; ; left--) {
      try {
        return await this.sendMessage(stamped);
      } catch (error) {
        const connectionTrouble = error instanceof ImError
          && (error.code === ImError.CONNECTION_LOST || error.code === ImError.NOT_CONNECTED);
        if (!connectionTrouble || left <= 1) throw error;
        await this.connect(); // waits for the reconnect in progress; rejects after close() or a kick
      }
    }
  }

  /**
   * Catch-up: every message of a conversation after `afterSeq`, oldest first, by seq-based `sync` in pages of 100
   * until the server has no more. Marks nothing read.
   */
  async catchUp(conversationId: number, afterSeq: number): Promise<MessageItem[]> {
    const collected: MessageItem[] = [];
    let after = afterSeq;
    for (;;) {
      const page = await this.sync({ conversationId, afterSeq: after, limit: MAX_PAGE });
      collected.push(...page.messages);
      const last = page.messages.at(-1);
      if (!page.hasMore || !last) return collected;
      after = last.seq;
    }
  }

  /**
   * `sync`: one page of a conversation's messages. With `afterSeq`: seq > afterSeq, ascending; with `beforeSeq`:
   * seq < beforeSeq, descending; else newest first by offset, marking the conversation read.
   */
  sync(request: Init<SyncReq>): Promise<SyncResp> {
    return this.call(Commands.sync, "SyncReq", request, "SyncResp");
  }

  /** `getconversationlist`: one page of this user's conversations (limit 0 = 15, at most 100). */
  conversations(limit = 0, offset = 0): Promise<ConversationResp> {
    return this.call(Commands.getConversationList, "ConversationReq", { limit, offset }, "ConversationResp");
  }

  /**
   * `getconversationlist` with `since_version`: up to `limit` conversations changed after that version, oldest
   * change first; ask again with the reply's version while it has more.
   */
  conversationChanges(sinceVersion: number, limit = MAX_PAGE): Promise<ConversationResp> {
    return this.call(Commands.getConversationList, "ConversationReq", { sinceVersion, limit }, "ConversationResp");
  }

  /** `messageread`: marks the message's conversation read up to and including it. */
  messageRead(messageId: number): Promise<void> {
    return this.callNoReply(Commands.messageRead, "MessageRead", { messageId });
  }

  /** `addconversation`: opens (idempotently) a conversation with a user (type 1) or group (type 2). */
  addConversation(request: Init<AddConversationReq>): Promise<AddConversationResp> {
    return this.call(Commands.addConversation, "AddConversationReq", request, "AddConversationResp");
  }

  /** `upconversation`: pins (`top` 2) or unpins (`top` 1) a conversation. */
  upConversation(request: Init<ConversationSettingReq>): Promise<void> {
    return this.callNoReply(Commands.upConversation, "ConversationSettingReq", request);
  }

  /** `disturbconversation`: mutes (`disturb` 2) or unmutes (`disturb` 1) a conversation. */
  disturbConversation(request: Init<ConversationSettingReq>): Promise<void> {
    return this.callNoReply(Commands.disturbConversation, "ConversationSettingReq", request);
  }

  /** `chatreadnum`: total unread messages, muted conversations excluded. */
  async chatReadNum(): Promise<number> {
    return (await parseReply(await this.request(Commands.chatReadNum), "ReadNumResp")).num;
  }

  /** `getuserinfo`: a user of the same app; 0 = the caller. */
  getUserInfo(userId = 0): Promise<GetUserInfoResp> {
    return this.call(Commands.getUserInfo, "GetUserInfoReq", { userId }, "GetUserInfoResp");
  }

  /** `creatgroup`: a group with the caller as owner; `group.userIds` lists the other members, e.g. "2,3". */
  createGroup(request: Init<CreateGroupReq>): Promise<CreateGroupResp> {
    return this.call(Commands.createGroup, "CreateGroupReq", request, "CreateGroupResp");
  }

  /** `groupbyuser`: the caller's groups; type 0 all, 1 owner/admin, 2 plain member. */
  groupByUser(type = 0): Promise<GetUserGroupsResp> {
    return this.call(Commands.groupByUser, "GetUserGroupsReq", { type }, "GetUserGroupsResp");
  }

  /** `recall`: recalls one of the caller's copies; resolves with that copy, now status 1. */
  recall(messageId: number): Promise<MessageItem> {
    return this.call(Commands.recall, "RecallReq", { messageId }, "MessageItem");
  }

  /** `deletemessage`: hides a message for the caller only (sync then returns it as a tombstone, status 2). */
  deleteMessage(messageId: number): Promise<void> {
    return this.callNoReply(Commands.deleteMessage, "DeleteMessageReq", { messageId });
  }

  /** `typing`: tells a user (receiverType 1) or group (2) that the caller is typing (push `peertyping`). */
  typing(receiverType: number, receiverId: number): Promise<void> {
    return this.callNoReply(Commands.typing, "TypingReq", { receiverType, receiverId });
  }

  /** `online`: which of these users (at most 100) have a signed-in device. */
  async online(userIds: number[]): Promise<number[]> {
    return (await this.call(Commands.online, "OnlineReq", { userIds }, "OnlineResp")).onlineUserIds;
  }

  /** `groupreadcount`: per seq of a group conversation (at most 100), how many members have read it, of how many. */
  async groupReadCount(conversationId: number, seqs: number[]): Promise<GroupReadCount[]> {
    return (await this.call(Commands.groupReadCount, "GroupReadReq", { conversationId, seqs }, "GroupReadResp")).counts;
  }
}

function checkCode(out: Output): void {
  if (out.code !== 200) throw new ImError(out.type, out.code, out.message);
}

function parseReply<K extends MessageName>(out: Output, name: K): Messages[K] {
  checkCode(out);
  try {
    return decode(name, out.data);
  } catch (error) {
    throw new ImError(out.type, ImError.TRANSPORT, `reply data is not a ${name}: ${String(error)}`, { cause: error });
  }
}

/** A random UUID; crypto.randomUUID is missing on plain-http pages, getRandomValues is not. */
export function newClientMsgId(): string {
  const crypto = globalThis.crypto;
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

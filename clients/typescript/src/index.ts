export { Backoff } from "./backoff.js";
export { ImClient, Commands, newClientMsgId } from "./client.js";
export { encode, decode, type Init, type MessageName } from "./codec.js";
export type { ImClientOptions, ConnectionState, StateChange, ClientEvents } from "./connection.js";
export { ImError } from "./errors.js";
export { MessageFeed, FeedStart } from "./feed.js";
export type { WebSocketLike, WebSocketConstructor } from "./transport.js";
// The wire types as a namespace (some names, e.g. File and Image, would shadow browser globals) and the ones most
// programs need by name.
export * as pb from "./generated/im.js";
export { MessageType } from "./generated/im.js";
export type {
  ConversationItem,
  ConversationResp,
  GroupReadCount,
  MessageBody,
  MessageContent,
  MessageItem,
  Output,
  ReadReceipt,
  SendMessage,
  SyncResp,
  TypingNotice,
} from "./generated/im.js";

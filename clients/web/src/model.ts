// The app's view of conversations and their messages, kept up to date from list replies, the message feed and pushes.
import type { ConversationItem, MessageItem } from "@imserver/client";

export const PEER_USER = 1;
export const PEER_GROUP = 2;
/** MessageItem.status */
export const RECALLED = 1;
export const DELETED = 2;

export interface Conversation {
  id: number;
  peerType: number;
  peerId: number;
  name: string;
  avatarUrl: string;
  pinned: boolean;
  muted: boolean;
  lastSeq: number;
  readSeq: number;
  /** 1:1: the peer has read this user's messages up to this seq */
  peerReadSeq: number;
  preview: string;
  /** Unix seconds */
  updateTime: number;
}

/** A conversation's messages as far as loaded, by seq, and whether older ones are left to page in. */
export interface Thread {
  bySeq: Map<number, MessageItem>;
  hasOlder: boolean;
  loaded: boolean;
  loading: Promise<void> | undefined;
}

export function newThread(): Thread {
  return { bySeq: new Map(), hasOlder: true, loaded: false, loading: undefined };
}

export function sortedMessages(thread: Thread): MessageItem[] {
  return [...thread.bySeq.values()].sort((a, b) => a.seq - b.seq);
}

export function oldestSeq(thread: Thread): number | undefined {
  let oldest: number | undefined;
  for (const seq of thread.bySeq.keys()) if (oldest === undefined || seq < oldest) oldest = seq;
  return oldest;
}

export function newestMessage(thread: Thread): MessageItem | undefined {
  let newest: MessageItem | undefined;
  for (const item of thread.bySeq.values()) if (!newest || item.seq > newest.seq) newest = item;
  return newest;
}

/** Merges a list item (the conversation's newest state as of the reply) into what is known. */
export function mergeConversation(known: Conversation | undefined, item: ConversationItem): Conversation {
  const newer = !known || item.lastSeq >= known.lastSeq;
  return {
    id: item.id,
    peerType: item.receiverType,
    peerId: item.receiverId,
    name: item.username || (item.receiverType === PEER_GROUP ? `group ${item.receiverId}` : `user ${item.receiverId}`),
    avatarUrl: item.avatarUrl,
    pinned: item.top === 2,
    muted: item.disturb === 2,
    lastSeq: Math.max(item.lastSeq, known?.lastSeq ?? 0),
    readSeq: Math.max(item.readSeq, known?.readSeq ?? 0),
    peerReadSeq: Math.max(item.peerReadSeq, known?.peerReadSeq ?? 0),
    preview: newer ? item.messagenewcontent : known.preview,
    updateTime: newer ? item.updateTime : known.updateTime,
  };
}

export function unread(c: Conversation): number {
  return Math.max(0, c.lastSeq - c.readSeq);
}

/** The list order of the server: pinned first, then latest activity, then id, all descending. */
export function listOrder(a: Conversation, b: Conversation): number {
  return Number(b.pinned) - Number(a.pinned) || b.updateTime - a.updateTime || b.id - a.id;
}

/** A one-line preview of a message, as the server makes them for the list. */
export function previewOf(item: MessageItem): string {
  if (item.status === RECALLED) return "[消息已撤回]";
  const content = item.messageBody?.messageContent;
  switch (content?.content) {
    case "text":
      return (content.text?.text ?? "").slice(0, 100);
    case "image":
      return "[图像]";
    case "file":
      return "[文件]";
    case "face":
      return "[表情]";
    case "voice":
      return "[录音]";
    case "location":
      return "[地址]";
    case "command":
      return "[指令推送]";
    case "custom":
      return "[自定义]";
    case "video":
      return "[视频]";
    default:
      return "";
  }
}

// The messages of the open conversation: text as text, images and files as links checked to be http(s), recalled
// messages as a note, and on own messages "Sent"/"Read" (1:1) and a recall button.
import type { GroupReadCount, MessageItem } from "@imserver/client";
import { h, safeUrl } from "./dom.js";
import { noticeText } from "./group-admin.js";
import { type Conversation, DELETED, PEER_GROUP, PEER_USER, previewOf, RECALLED } from "./model.js";

export interface ThreadView {
  conversation: Conversation;
  messages: MessageItem[];
  myUserId: number;
  /** group: how many members have read one of this user's messages, when known */
  groupRead: (seq: number) => GroupReadCount | undefined;
  onRecall: (item: MessageItem) => void;
  /** a user's display name, for group notices */
  nameOf?: (userId: number) => string;
}

export function renderMessages(list: HTMLElement, view: ThreadView): void {
  const items = view.messages.filter((m) => m.status !== DELETED).map((m) => message(m, view));
  list.replaceChildren(...items);
}

function message(item: MessageItem, view: ThreadView): HTMLLIElement {
  const notice = noticeText(item, view.nameOf ?? ((id) => `user ${id}`));
  if (notice !== undefined) {
    return h("li", { class: "message notice", "data-id": item.id, "data-seq": item.seq, "data-sender": item.senderId },
      h("div", { class: "body notice-text" }, notice));
  }
  const own = item.senderId === view.myUserId;
  const recalled = item.status === RECALLED;
  const showSender = !own && view.conversation.peerType === PEER_GROUP;
  const read = own && view.conversation.peerType === PEER_USER && item.seq <= view.conversation.peerReadSeq;
  return h("li", {
      class: `message ${own ? "own" : "other"}${recalled ? " recalled" : ""}`,
      "data-id": item.id,
      "data-seq": item.seq,
      "data-sender": item.senderId,
    },
    h("div", { class: "bubble" },
      showSender && h("div", { class: "sender" }, item.senderName || `user ${item.senderId}`),
      recalled
        ? h("div", { class: "body recall-note" }, own ? "You recalled a message" : "This message was recalled")
        : h("div", { class: "body" }, content(item)),
      h("div", { class: "meta" },
        h("time", { datetime: new Date(item.sendTime).toISOString() }, clock(item.sendTime)),
        own && !recalled && view.conversation.peerType === PEER_USER
          && h("span", { class: read ? "read-mark read" : "read-mark" }, read ? "Read" : "Sent"),
        own && !recalled && view.conversation.peerType === PEER_GROUP && groupReadMark(view.groupRead(item.seq)),
        own && !recalled && h("button", { class: "recall", type: "button", onclick: () => view.onRecall(item) }, "Recall"))));
}

function groupReadMark(count: GroupReadCount | undefined): HTMLSpanElement {
  if (!count || count.readCount === 0) return h("span", { class: "read-mark" }, "Sent");
  const all = count.readCount >= count.memberCount;
  return h("span", { class: all ? "read-mark read" : "read-mark" }, `Read by ${count.readCount} of ${count.memberCount}`);
}

function content(item: MessageItem): Node {
  const c = item.messageBody?.messageContent;
  if (c?.content === "text") return h("span", { class: "text" }, c.text?.text ?? "");
  if (c?.content === "image") {
    const url = safeUrl(c.image?.url ?? "");
    if (!url) return h("span", { class: "text" }, "[image with an unusable URL]");
    return h("a", { class: "image-link", href: url, target: "_blank", rel: "noopener noreferrer" },
      h("img", { class: "image", src: url, alt: "image", loading: "lazy", referrerpolicy: "no-referrer" }));
  }
  if (c?.content === "file") {
    const file = c.file;
    const url = safeUrl(file?.url ?? "");
    const name = file?.name || url || "file";
    if (!url) return h("span", { class: "file" }, `📎 ${name}`);
    return h("a", { class: "file", href: url, target: "_blank", rel: "noopener noreferrer" }, `📎 ${name}`,
      file?.size ? h("span", { class: "size" }, ` (${size(file.size)})`) : null);
  }
  return h("span", { class: "text other-type" }, previewOf(item) || "[unsupported message]");
}

function clock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

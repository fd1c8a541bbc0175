// The chat app: one ImClient, a MessageFeed for new messages, seq-based sync for history, pushes for receipts,
// recalls and typing; renders the list, the open conversation and the connection state.
import { FeedStart, type GroupReadCount, ImClient, ImError, MessageFeed, type MessageItem } from "@imserver/client";
import { messageBody, type Kind } from "./composer.js";
import { renderConversationList } from "./conversation-list.js";
import { FriendsPanel } from "./friends.js";
import { byId } from "./dom.js";
import { renderMembers } from "./members.js";
import { renderGroupAdmin } from "./group-admin.js";
import { renderMessages } from "./message-view.js";
import {
  type Conversation, mergeConversation, newestMessage, newThread, oldestSeq, PEER_GROUP, PEER_USER, previewOf,
  sortedMessages, type Thread, unread,
} from "./model.js";
import { describe, notify } from "./notice.js";
import type { Session } from "./session.js";
import { showConnection } from "./status.js";

const PAGE = 30;
const TYPING_SHOWN_MS = 4000;
const TYPING_SENT_EVERY_MS = 2000;
const SCROLL_LOAD_PX = 80;
/** groupreadcount takes at most this many seqs */
const GROUP_READ_SEQS = 100;

interface Typing {
  senderId: number;
  until: number;
}

export class ChatApp {
  private readonly client: ImClient;
  private readonly feed: MessageFeed;
  private readonly conversations = new Map<number, Conversation>();
  private readonly threads = new Map<number, Thread>();
  private readonly typing = new Map<number, Typing>();
  /** user id → nickname, from messages and getuserinfo */
  private readonly names = new Map<number, string>();
  /** group conversation id → seq of an own message → how many members read it */
  private readonly groupReads = new Map<number, Map<number, GroupReadCount>>();
  private groupReadTimer: ReturnType<typeof setTimeout> | undefined;
  /** group id → member ids this user named when creating it */
  private readonly createdWith = new Map<number, number[]>();
  private selectedId: number | undefined;
  private listVersion = 0;
  private listRefresh: Promise<void> | undefined;
  private listAgain = false;
  private lastTypingSent = 0;
  /** A refusal or kick stays on the indicator; later state changes do not replace it. */
  private finalState = false;

  private readonly ui = {
    list: byId("conversations"),
    scroll: byId("messages-scroll"),
    messages: byId("messages"),
    historyState: byId("history-state"),
    title: byId("chat-title"),
    typing: byId("typing"),
    actions: byId("chat-actions"),
    pin: byId<HTMLButtonElement>("pin-button"),
    mute: byId<HTMLButtonElement>("mute-button"),
    membersButton: byId<HTMLButtonElement>("members-button"),
    members: byId("members-panel"),
    composer: byId<HTMLFormElement>("composer"),
    kind: byId<HTMLSelectElement>("message-kind"),
    input: byId<HTMLInputElement>("message-input"),
  };

  constructor(private readonly session: Session) {
    this.client = new ImClient({
      url: session.url, appId: session.appId, userId: session.userId, deviceId: session.deviceId, token: session.token,
    });
    this.feed = MessageFeed.attach(this.client, FeedStart.fromNow(), (item) => this.onMessage(item));
    this.listen();
    this.bindUi();
    new FriendsPanel(this.client);
  }

  async start(): Promise<void> {
    byId("me-name").textContent = `user ${this.session.userId}`;
    try {
      await this.client.connect();
    } catch (error) {
      this.finalState = error instanceof ImError && error.isServerError;
      showConnection(this.finalState ? "refused" : "disconnected", error);
      if (!this.finalState) notify(`cannot connect: ${describe(error)}`);
      return;
    }
    try {
      const me = await this.client.getUserInfo(0);
      this.names.set(me.userId, me.nickname);
      byId("me-name").textContent = me.nickname || `user ${me.userId}`;
    } catch (error) {
      notify(`getuserinfo: ${describe(error)}`);
    }
  }

  // ---- events from the client ----

  private listen(): void {
    const c = this.client;
    c.on("state", ({ state, cause }) => {
      if (this.finalState) return;
      showConnection(state, cause);
      byId("connection").dataset.reconnects = String(c.reconnects);
      if (state === "connected") this.refreshList();
    });
    c.on("kick", (cause) => {
      this.finalState = true;
      showConnection("kicked", cause);
    });
    c.on("recalled", (item) => this.applyRecall(item));
    c.on("receipt", (receipt) => {
      const conversation = this.conversations.get(receipt.conversationId);
      if (!conversation) return this.refreshList();
      conversation.peerReadSeq = Math.max(conversation.peerReadSeq, receipt.readSeq);
      if (conversation.id === this.selectedId) this.renderThread();
    });
    c.on("readsync", (receipt) => {
      const conversation = this.conversations.get(receipt.conversationId);
      if (!conversation) return this.refreshList();
      conversation.readSeq = Math.max(conversation.readSeq, receipt.readSeq);
      this.renderList();
    });
    c.on("peertyping", (notice) => {
      if (notice.senderId === this.session.userId || notice.conversationId === 0) return;
      this.typing.set(notice.conversationId, { senderId: notice.senderId, until: Date.now() + TYPING_SHOWN_MS });
      this.renderTyping();
      if (notice.receiverType === PEER_GROUP && !this.names.has(notice.senderId)) void this.learnName(notice.senderId);
      setTimeout(() => this.renderTyping(), TYPING_SHOWN_MS + 50);
    });
    document.addEventListener("visibilitychange", () => this.markRead());
  }

  private onMessage(item: MessageItem): void {
    if (item.senderName) this.names.set(item.senderId, item.senderName);
    const typingEnded = this.typing.get(item.conversationId)?.senderId === item.senderId;
    if (typingEnded) this.typing.delete(item.conversationId);
    this.thread(item.conversationId).bySeq.set(item.seq, item);
    const conversation = this.conversations.get(item.conversationId);
    if (!conversation) {
      this.refreshList();
      return;
    }
    // a group notice (system message): the group's name or the caller's membership may have changed
    if (item.senderType === 1 && conversation.peerType === PEER_GROUP) this.refreshList();
    conversation.lastSeq = Math.max(conversation.lastSeq, item.seq);
    if (item.senderId === this.session.userId) conversation.readSeq = Math.max(conversation.readSeq, item.seq);
    conversation.preview = previewOf(item);
    conversation.updateTime = Math.max(conversation.updateTime, Math.floor(item.sendTime / 1000));
    if (conversation.id === this.selectedId) {
      this.renderThread();
      this.markRead();
      // a member who writes has read what came before; an own message starts at "Sent"
      if (conversation.peerType === PEER_GROUP) this.scheduleGroupReads();
    }
    if (typingEnded) this.renderTyping(); // renders the list too
    else this.renderList();
  }

  private applyRecall(item: MessageItem): void {
    const thread = this.threads.get(item.conversationId);
    if (thread?.bySeq.has(item.seq)) thread.bySeq.set(item.seq, item);
    const conversation = this.conversations.get(item.conversationId);
    if (conversation && item.seq === conversation.lastSeq) conversation.preview = previewOf(item);
    if (item.conversationId === this.selectedId) this.renderThread();
    this.renderList();
  }

  /** Looks a user's nickname up (for "… is typing" in a group before that member wrote anything). */
  private async learnName(userId: number): Promise<void> {
    try {
      const info = await this.client.getUserInfo(userId);
      this.names.set(userId, info.nickname);
      this.renderTyping();
    } catch {
      // the notice keeps saying "user N"
    }
  }

  // ---- conversation list ----

  /** Fetches the conversations changed since the last list (all of them the first time); one request at a time. */
  private refreshList(): void {
    if (this.listRefresh) {
      this.listAgain = true;
      return;
    }
    this.listRefresh = (async () => {
      try {
        do {
          this.listAgain = false;
          for (;;) {
            const page = await this.client.conversationChanges(this.listVersion);
            for (const item of page.conversation) {
              this.conversations.set(item.id, mergeConversation(this.conversations.get(item.id), item));
            }
            const advanced = page.version > this.listVersion;
            this.listVersion = Math.max(this.listVersion, page.version);
            if (!(page.hasMore && advanced)) break;
          }
        } while (this.listAgain);
      } catch (error) {
        if (!(error instanceof ImError && error.code < 0)) notify(`conversation list: ${describe(error)}`);
      } finally {
        this.listRefresh = undefined;
      }
      this.renderList();
      this.renderHeader();
      this.markRead();
    })();
  }

  private async waitForList(): Promise<void> {
    this.refreshList();
    while (this.listRefresh) await this.listRefresh;
  }

  private renderList(): void {
    renderConversationList(this.ui.list, {
      conversations: this.conversations.values(),
      selectedId: this.selectedId,
      typingIn: (id) => (this.typingIn(id) ? "typing…" : undefined),
      onSelect: (id) => void this.select(id),
    });
    let total = 0;
    for (const c of this.conversations.values()) if (!c.muted) total += unread(c);
    document.title = total > 0 ? `(${total}) IM chat` : "IM chat";
  }

  // ---- the open conversation ----

  private async select(id: number): Promise<void> {
    if (!this.conversations.has(id)) return;
    const changed = this.selectedId !== id;
    this.selectedId = id;
    this.ui.members.hidden = true;
    this.renderList();
    this.renderHeader();
    this.renderThread({ toBottom: true });
    if (changed) this.ui.input.focus();
    const thread = this.thread(id);
    if (!thread.loaded) await this.loadOlder(id);
    this.markRead();
    if (this.conversations.get(id)?.peerType === PEER_GROUP) this.scheduleGroupReads();
  }

  private thread(conversationId: number): Thread {
    let thread = this.threads.get(conversationId);
    if (!thread) {
      thread = newThread();
      this.threads.set(conversationId, thread);
    }
    return thread;
  }

  /** Pages in older messages (seq-based sync, before the oldest held) and keeps what was on screen in place. */
  private loadOlder(conversationId: number): Promise<void> {
    const thread = this.thread(conversationId);
    if (thread.loading) return thread.loading;
    if (!thread.hasOlder) return Promise.resolve();
    thread.loading = (async () => {
      try {
        const before = oldestSeq(thread) ?? Number.MAX_SAFE_INTEGER;
        const page = await this.client.sync({ conversationId, beforeSeq: before, limit: PAGE });
        for (const item of page.messages) {
          if (!thread.bySeq.has(item.seq)) thread.bySeq.set(item.seq, item);
          if (item.senderName) this.names.set(item.senderId, item.senderName);
        }
        thread.hasOlder = page.hasMore;
        thread.loaded = true;
      } catch (error) {
        notify(`history: ${describe(error)}`);
      } finally {
        thread.loading = undefined;
      }
      if (conversationId !== this.selectedId) return;
      this.scheduleGroupReads();
      const wasEmpty = this.ui.messages.childElementCount === 0;
      this.renderThread(wasEmpty ? { toBottom: true } : { keepAnchor: true });
      // a first page shorter than the view: page in more until it scrolls or nothing is left
      if (thread.hasOlder && this.ui.scroll.scrollHeight <= this.ui.scroll.clientHeight) {
        await this.loadOlder(conversationId);
      }
    })();
    return thread.loading;
  }

  private renderHeader(): void {
    const c = this.selectedId === undefined ? undefined : this.conversations.get(this.selectedId);
    this.ui.actions.hidden = !c;
    this.ui.composer.hidden = !c;
    if (!c) {
      this.ui.title.textContent = "Select a conversation";
      return;
    }
    this.ui.title.textContent = c.name;
    this.ui.pin.textContent = c.pinned ? "Unpin" : "Pin";
    this.ui.mute.textContent = c.muted ? "Unmute" : "Mute";
    this.ui.membersButton.hidden = c.peerType !== PEER_GROUP;
    this.renderTyping();
  }

  private renderThread(scroll: { toBottom?: boolean; keepAnchor?: boolean } = {}): void {
    const c = this.selectedId === undefined ? undefined : this.conversations.get(this.selectedId);
    const box = this.ui.scroll;
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    const oldHeight = box.scrollHeight;
    const oldTop = box.scrollTop;
    if (!c) {
      this.ui.messages.replaceChildren();
      this.ui.historyState.textContent = "";
      return;
    }
    const thread = this.thread(c.id);
    renderMessages(this.ui.messages, {
      conversation: c,
      messages: sortedMessages(thread),
      myUserId: this.session.userId,
      groupRead: (seq) => this.groupReads.get(c.id)?.get(seq),
      onRecall: (item) => void this.recall(item),
      nameOf: (id) => (id === this.session.userId ? "You" : this.names.get(id) ?? `user ${id}`),
    });
    this.ui.historyState.textContent = !thread.loaded ? "Loading…"
      : thread.hasOlder ? "Scroll up for older messages" : thread.bySeq.size === 0 ? "No messages yet" : "Start of the conversation";
    if (scroll.keepAnchor) box.scrollTop = oldTop + (box.scrollHeight - oldHeight);
    else if (scroll.toBottom || atBottom) box.scrollTop = box.scrollHeight;
  }

  /** Asks (once for a burst of changes) how many members read the open group's own messages shown. */
  private scheduleGroupReads(): void {
    clearTimeout(this.groupReadTimer);
    this.groupReadTimer = setTimeout(() => void this.refreshGroupReads(), 300);
  }

  private async refreshGroupReads(): Promise<void> {
    const c = this.selectedId === undefined ? undefined : this.conversations.get(this.selectedId);
    if (!c || c.peerType !== PEER_GROUP) return;
    const seqs = sortedMessages(this.thread(c.id))
      .filter((m) => m.senderId === this.session.userId && m.status === 0)
      .map((m) => m.seq)
      .slice(-GROUP_READ_SEQS);
    if (seqs.length === 0) return;
    try {
      const counts = await this.client.groupReadCount(c.id, seqs);
      const known = this.groupReads.get(c.id) ?? new Map<number, GroupReadCount>();
      for (const count of counts) known.set(count.seq, count);
      this.groupReads.set(c.id, known);
      if (c.id === this.selectedId) this.renderThread();
    } catch (error) {
      if (!(error instanceof ImError && error.code < 0)) notify(`groupreadcount: ${describe(error)}`);
    }
  }

  private typingIn(conversationId: number): boolean {
    const typing = this.typing.get(conversationId);
    return typing !== undefined && typing.until > Date.now();
  }

  private renderTyping(): void {
    const id = this.selectedId;
    const typing = id === undefined ? undefined : this.typing.get(id);
    const shown = id !== undefined && this.typingIn(id);
    this.ui.typing.hidden = !shown;
    if (shown && typing) {
      const c = this.conversations.get(id);
      const name = c?.peerType === PEER_USER ? c.name : this.names.get(typing.senderId) ?? `user ${typing.senderId}`;
      this.ui.typing.textContent = `${name} is typing…`;
    }
    this.renderList();
  }

  /** Reports the open conversation read up to its newest message, when the page is visible. */
  private markRead(): void {
    const c = this.selectedId === undefined ? undefined : this.conversations.get(this.selectedId);
    if (!c || document.visibilityState !== "visible" || unread(c) === 0) return;
    const newest = newestMessage(this.thread(c.id));
    if (!newest || newest.seq <= c.readSeq) return;
    c.readSeq = newest.seq;
    this.renderList();
    this.client.messageRead(newest.id).catch((error) => notify(`messageread: ${describe(error)}`));
  }

  // ---- actions ----

  private bindUi(): void {
    this.ui.scroll.addEventListener("scroll", () => {
      if (this.selectedId !== undefined && this.ui.scroll.scrollTop < SCROLL_LOAD_PX) void this.loadOlder(this.selectedId);
    });
    this.ui.composer.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.send();
    });
    this.ui.kind.addEventListener("change", () => {
      const placeholders: Record<Kind, string> = { text: "Message", image: "Image URL (https://…)", file: "File URL (https://…)" };
      this.ui.input.placeholder = placeholders[this.ui.kind.value as Kind];
      this.ui.input.focus();
    });
    this.ui.input.addEventListener("input", () => this.sendTyping());
    this.ui.pin.addEventListener("click", () => void this.toggle("pin"));
    this.ui.mute.addEventListener("click", () => void this.toggle("mute"));
    this.ui.membersButton.addEventListener("click", () => void this.showMembers());
    byId("members-close").addEventListener("click", () => (this.ui.members.hidden = true));
    this.bindForm("new-chat", async () => {
      const userId = Number(byId<HTMLInputElement>("new-chat-user").value.trim());
      if (!Number.isSafeInteger(userId) || userId <= 0) throw new Error("expected a user id");
      const reply = await this.client.addConversation({ userId, type: PEER_USER });
      return reply.conversationId;
    });
    this.bindForm("new-group", async () => {
      const name = byId<HTMLInputElement>("group-name").value.trim();
      const userIds = byId<HTMLInputElement>("group-members").value.replace(/\s+/g, "");
      if (!/^\d+(,\d+)*$/.test(userIds)) throw new Error("members: user ids separated by commas, e.g. 2,3");
      const reply = await this.client.createGroup({ group: { name, userIds } });
      this.createdWith.set(reply.groupLastInsertID, userIds.split(",").map(Number));
      return reply.conversationLastInsertID;
    });
  }

  /** A sidebar form (toggle button + form) whose action opens the conversation it returns. */
  private bindForm(prefix: string, action: () => Promise<number>): void {
    const form = byId<HTMLFormElement>(`${prefix}-form`);
    byId(`${prefix}-toggle`).addEventListener("click", () => {
      form.hidden = !form.hidden;
      if (!form.hidden) form.querySelector("input")?.focus();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void (async () => {
        try {
          const conversationId = await action();
          form.reset();
          form.hidden = true;
          await this.waitForList();
          await this.select(conversationId);
        } catch (error) {
          notify(describe(error));
        }
      })();
    });
  }

  private async send(): Promise<void> {
    const c = this.selectedId === undefined ? undefined : this.conversations.get(this.selectedId);
    if (!c) return;
    const body = messageBody(this.ui.kind.value as Kind, this.ui.input.value);
    if (typeof body === "string") {
      notify(body);
      return;
    }
    this.ui.input.value = "";
    try {
      await this.feed.send({ receiverType: c.peerType, receiverId: c.peerId, messageBody: body });
    } catch (error) {
      notify(`not sent: ${describe(error)}`);
    }
  }

  private sendTyping(): void {
    const c = this.selectedId === undefined ? undefined : this.conversations.get(this.selectedId);
    const now = Date.now();
    if (!c || this.ui.input.value === "" || now - this.lastTypingSent < TYPING_SENT_EVERY_MS) return;
    this.lastTypingSent = now;
    this.client.typing(c.peerType, c.peerId).catch(() => undefined); // best effort: a lost notice is harmless
  }

  private async recall(item: MessageItem): Promise<void> {
    try {
      this.applyRecall(await this.client.recall(item.id));
    } catch (error) {
      notify(`recall: ${describe(error)}`);
    }
  }

  private async toggle(setting: "pin" | "mute"): Promise<void> {
    const c = this.selectedId === undefined ? undefined : this.conversations.get(this.selectedId);
    if (!c) return;
    try {
      if (setting === "pin") await this.client.upConversation({ conversationId: c.id, top: c.pinned ? 1 : 2 });
      else await this.client.disturbConversation({ conversationId: c.id, disturb: c.muted ? 1 : 2 });
      await this.waitForList();
    } catch (error) {
      notify(`${setting}: ${describe(error)}`);
    }
  }

  private async showMembers(): Promise<void> {
    const c = this.selectedId === undefined ? undefined : this.conversations.get(this.selectedId);
    if (!c || c.peerType !== PEER_GROUP) return;
    try {
      const groups = await this.client.groupByUser(0);
      const group = groups.groups.find((g) => g.groupId === c.peerId);
      const ids = new Set<number>([this.session.userId, ...(this.createdWith.get(c.peerId) ?? [])]);
      for (const item of this.thread(c.id).bySeq.values()) ids.add(item.senderId);
      await Promise.all([...ids].filter((id) => !this.names.has(id)).map((id) => this.learnName(id)));
      renderMembers(this.ui.members, {
        groupName: group?.name ?? c.name,
        introduction: group?.introduction ?? "",
        memberCount: group?.userMum,
        known: [...ids].sort((a, b) => a - b).map((id) => ({ id, name: this.names.get(id) ?? `user ${id}`, me: id === this.session.userId })),
      });
      this.ui.members.hidden = false;
      await renderGroupAdmin(byId("group-admin"), { client: this.client, groupId: c.peerId, myUserId: this.session.userId,
        nameOf: (id) => this.names.get(id) ?? `user ${id}`, notify, onChanged: () => this.refreshList() });
    } catch (error) {
      notify(`members: ${describe(error)}`);
    }
  }
}

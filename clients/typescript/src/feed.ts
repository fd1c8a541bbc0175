// Every message of every conversation exactly once, in seq order per conversation: the client algorithm of
// docs/PROTOCOL.md ("Client algorithm"), the same as the Java MessageFeed.
import type { ImClient } from "./client.js";
import type { Init } from "./codec.js";
import { deferred, type Deferred } from "./deferred.js";
import type { ConversationItem, MessageItem, SendMessage } from "./generated/im.js";

const LIST_PAGE = 100;

/**
 * Where a feed starts: `fromNow()`, or the list version and per-conversation seqs of a `checkpoint()` (a
 * conversation missing from the positions starts at seq 0).
 */
export class FeedStart {
  private constructor(
    /** -1: from now */
    readonly version: number,
    readonly positions: ReadonlyMap<number, number>,
  ) {}

  /**
   * Only messages stored after the feed's first conversation list (right after the first sign-in: wait for
   * `synced()`); the conversations' earlier messages are history (page them with `sync` `beforeSeq`).
   */
  static fromNow(): FeedStart {
    return new FeedStart(-1, new Map());
  }

  /** From a saved position: everything after it is passed on, first what was missed while away. */
  static from(version: number, positions: ReadonlyMap<number, number> | Readonly<Record<string, number>>): FeedStart {
    if (!(version >= 0)) throw new RangeError(`version: ${version} (expected: >= 0)`);
    const map = positions instanceof Map
      ? new Map(positions)
      : new Map(Object.entries(positions).map(([id, seq]) => [Number(id), seq] as const));
    return new FeedStart(version, map);
  }

  /** A JSON-friendly form; `FeedStart.from(json.version, json.positions)` restores it. */
  toJSON(): { version: number; positions: Record<string, number> } {
    return { version: this.version, positions: Object.fromEntries(this.positions) };
  }
}

interface Conversation {
  seq: number;
  /** The catch-up in progress, if any; resolves true when it completed and was applied. */
  fill: Promise<boolean> | undefined;
  /** Pushes that came during the catch-up, or beyond a gap. */
  waiting: MessageItem[];
}

/**
 * Passes each message of each conversation of the signed-in user on exactly once, in seq order per conversation,
 * across lost pushes, duplicates and reconnects:
 * - a `message` push with the conversation's next seq is passed on; an older one is dropped as a duplicate; a newer
 *   one means missed messages: the conversation is caught up by seq (`catchUp`) and pushes that arrive meanwhile
 *   wait for it;
 * - after every sign-in (the first and each reconnect) the conversations changed since the last list version are
 *   fetched (`getconversationlist` with `since_version`) and each one whose `lastSeq` is ahead is caught up;
 * - the user's own messages sent with `send()` enter the feed with their reply; ones sent by the user's other
 *   devices, or directly on the client, arrive through the catch-up.
 * `recalled`, `readsync` and `receipt` pushes are not part of the feed: listen to them on the client.
 */
export class MessageFeed {
  private readonly conversations = new Map<number, Conversation>();
  private version: number;
  /** Set while a feed started from now waits for its first list: pushes before it cannot be placed yet. */
  private beforeFirstList: MessageItem[] | undefined;
  private generation = 0;
  private syncedNow: Deferred<void> = deferred<void>();
  private syncedDone = false;
  private readonly unsubscribe: (() => void)[];

  private constructor(
    private readonly client: ImClient,
    start: FeedStart,
    private readonly listener: (message: MessageItem) => void,
  ) {
    this.version = Math.max(0, start.version);
    this.beforeFirstList = start.version < 0 ? [] : undefined;
    for (const [id, seq] of start.positions) this.conversations.set(id, newConversation(seq));
    this.unsubscribe = [
      client.on("message", (message) => this.offer(message)),
      client.on("state", ({ state }) => {
        if (state === "connected") void this.resync();
      }),
    ];
  }

  /**
   * A feed over `client`, passing messages to `listener`. Attach it before `client.connect()`, or at any time after:
   * a connected client is caught up at once.
   */
  static attach(client: ImClient, start: FeedStart, listener: (message: MessageItem) => void): MessageFeed {
    const feed = new MessageFeed(client, start, listener);
    if (client.state === "connected") void feed.resync();
    return feed;
  }

  /** `client.sendReliably` whose stored message enters the feed (and reaches the listener) in its place. */
  async send(message: Init<SendMessage>, attempts = 5): Promise<MessageItem> {
    const item = await this.client.sendReliably(message, attempts);
    this.offer(item);
    return item;
  }

  /** Resolves when the catch-up after the latest sign-in is done; a reconnect begins a new one. */
  synced(): Promise<void> {
    return this.syncedNow.promise;
  }

  /** The position to start a feed from later (`FeedStart.from`) without missing or repeating a message. */
  checkpoint(): FeedStart {
    const positions = new Map<number, number>();
    for (const [id, c] of this.conversations) positions.set(id, c.seq);
    return FeedStart.from(this.version, positions);
  }

  /** Stops listening to the client. */
  detach(): void {
    for (const off of this.unsubscribe) off();
  }

  private conversation(id: number, seq = 0): Conversation {
    let c = this.conversations.get(id);
    if (!c) {
      c = newConversation(seq);
      this.conversations.set(id, c);
    }
    return c;
  }

  private offer(item: MessageItem): void {
    if (this.beforeFirstList) {
      this.beforeFirstList.push(item);
      return;
    }
    const id = item.conversationId;
    const c = this.conversation(id);
    if (c.fill) {
      c.waiting.push(item);
    } else if (item.seq === c.seq + 1) {
      this.accept(c, item);
    } else if (item.seq > c.seq) {
      c.waiting.push(item);
      void this.fill(id, c);
    } // else: at or below the position, a duplicate
  }

  private accept(c: Conversation, item: MessageItem): void {
    if (item.seq <= c.seq) return;
    c.seq = item.seq;
    try {
      this.listener(item);
    } catch (error) {
      console.error("MessageFeed listener failed:", error);
    }
  }

  /**
   * Catches a conversation up to the server's newest message, then applies the pushes that waited: they came after
   * the catch-up's read, in seq order, so none is missing between. Resolves false when it failed (the waiting pushes
   * stay for the next catch-up) or was superseded by a newer sign-in's catch-up.
   */
  private fill(id: number, c: Conversation): Promise<boolean> {
    if (c.fill) return c.fill;
    const fill: Promise<boolean> = this.client.catchUp(id, c.seq).then(
      (items) => {
        if (c.fill !== fill) return false; // begun on a connection that is gone; a newer catch-up took over
        c.fill = undefined;
        for (const item of items) this.accept(c, item);
        const waiting = c.waiting.sort((a, b) => a.seq - b.seq);
        c.waiting = [];
        for (const item of waiting) this.accept(c, item);
        return true;
      },
      () => {
        if (c.fill === fill) c.fill = undefined;
        return false;
      },
    );
    c.fill = fill;
    return fill;
  }

  private async resync(): Promise<void> {
    const current = ++this.generation;
    if (this.syncedDone) {
      this.syncedNow = deferred<void>();
      this.syncedDone = false;
    }
    for (const c of this.conversations.values()) c.fill = undefined;
    let changes: { items: ConversationItem[]; version: number };
    try {
      changes = await this.listChanges(this.version);
    } catch {
      return; // the connection is gone or the list failed: the next sign-in catches up again
    }
    if (current !== this.generation) return;
    if (this.beforeFirstList) {
      for (const item of changes.items) {
        if (!this.conversations.has(item.id)) this.conversations.set(item.id, newConversation(item.lastSeq));
      }
      const early = this.beforeFirstList;
      this.beforeFirstList = undefined;
      for (const item of early) this.offer(item);
    }
    const fills: Promise<boolean>[] = [];
    for (const item of changes.items) {
      const c = this.conversation(item.id);
      if (item.lastSeq > c.seq || c.waiting.length > 0) fills.push(this.fill(item.id, c));
    }
    const results = await Promise.all(fills);
    if (current !== this.generation || !results.every(Boolean)) return;
    this.version = Math.max(this.version, changes.version);
    this.syncedDone = true;
    this.syncedNow.resolve();
  }

  private async listChanges(since: number): Promise<{ items: ConversationItem[]; version: number }> {
    const items: ConversationItem[] = [];
    let from = since;
    for (;;) {
      const page = await this.client.conversationChanges(from, LIST_PAGE);
      items.push(...page.conversation);
      if (!(page.hasMore && page.version > from)) return { items, version: page.version };
      from = page.version;
    }
  }
}

function newConversation(seq: number): Conversation {
  return { seq, fill: undefined, waiting: [] };
}

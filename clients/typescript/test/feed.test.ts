// MessageFeed: every message once, in seq order per conversation, across cut connections and restarts from a
// checkpoint.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Backoff, FeedStart, MessageFeed, type ImClient, type MessageItem } from "../dist/index.js";
import { APP_ID, Fixture, sleep, text, until } from "./support/fixture.js";
import { TcpProxy } from "./support/proxy.js";

const SINGLE = 1;
const GROUP = 2;
const FAST_RECONNECT = new Backoff(20, 100, 0.5);

let fx: Fixture;
let proxy: TcpProxy;
before(async () => {
  fx = await Fixture.start();
  proxy = await TcpProxy.start(fx.server.wsPort);
});
after(async () => {
  await proxy?.close();
  await fx?.stop();
});

/** What a feed passed on, per conversation, in the order it passed it on. */
class Received {
  readonly byConversation = new Map<number, MessageItem[]>();

  readonly listener = (item: MessageItem) => {
    let list = this.byConversation.get(item.conversationId);
    if (!list) {
      list = [];
      this.byConversation.set(item.conversationId, list);
    }
    list.push(item);
  };

  count(conversationId: number): number {
    return this.byConversation.get(conversationId)?.length ?? 0;
  }

  seqs(conversationId: number): number[] {
    return (this.byConversation.get(conversationId) ?? []).map((m) => m.seq);
  }

  texts(conversationId: number): string[] {
    return (this.byConversation.get(conversationId) ?? []).map((m) => m.messageBody?.messageContent?.text?.text ?? "");
  }

  describe(): string {
    return [...this.byConversation].map(([id, items]) => `conversation ${id}: ${items.length} (last seq ${items.at(-1)?.seq})`).join("; ");
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

async function sendAll(client: ImClient, receiverType: number, receiverId: number, prefix: string, n: number): Promise<number> {
  let conversationId = 0;
  for (let i = 1; i <= n; i++) conversationId = (await client.sendMessage(text(receiverType, receiverId, `${prefix}${i}`))).conversationId;
  return conversationId;
}

test("the feed passes seq 1..n of every conversation exactly once while the connection is cut again and again", async (t) => {
  const ann = await fx.user("Ann");
  const bob = await fx.user("Bob");
  const cid = await fx.user("Cid");
  const groupId = await fx.server.admin.createGroup(APP_ID, "chaos", ann, [bob, cid]);
  const annClient = await fx.connected(ann);
  const cidClient = await fx.connected(cid);

  const bobClient = await fx.newClient(bob, { url: proxy.url(), reconnect: FAST_RECONNECT });
  const received = new Received();
  const feed = MessageFeed.attach(bobClient, FeedStart.fromNow(), received.listener);
  await bobClient.connect();
  await feed.synced();

  const N_SINGLE = 120;
  const N_GROUP = 80;
  let sending = true;
  let cuts = 0;
  const chaos = (async () => {
    while (sending || cuts < 4) {
      await sleep(120 + Math.random() * 120);
      if (proxy.open > 0) cuts++; // a cut while the client is between connections cuts nothing
      proxy.cutAll();
    }
  })();
  await Promise.all([
    sendAll(annClient, SINGLE, bob, "ann-", N_SINGLE),
    sendAll(cidClient, SINGLE, bob, "cid-", N_SINGLE),
    sendAll(annClient, GROUP, groupId, "group-", N_GROUP),
  ]);
  sending = false;
  await chaos;

  const bobConversations = (await fx.connected(bob, { deviceId: 9 }).then((c) => c.conversations())).conversation;
  const byPeer = new Map(bobConversations.map((c) => [`${c.receiverType}:${c.receiverId}`, c.id]));
  const fromAnn = byPeer.get(`${SINGLE}:${ann}`)!;
  const fromCid = byPeer.get(`${SINGLE}:${cid}`)!;
  const inGroup = byPeer.get(`${GROUP}:${groupId}`)!;
  await until(() => received.count(fromAnn) >= N_SINGLE && received.count(fromCid) >= N_SINGLE
    && received.count(inGroup) >= N_GROUP, 20_000, () => received.describe());
  await sleep(200); // anything extra (a duplicate) would arrive now

  t.diagnostic(`${bobClient.reconnects} reconnects while ${2 * N_SINGLE + N_GROUP} messages arrived`);
  assert.ok(bobClient.reconnects >= 3, `the connection was cut and re-established (${bobClient.reconnects} times)`);
  assert.deepEqual(received.seqs(fromAnn), range(1, N_SINGLE));
  assert.deepEqual(received.seqs(fromCid), range(1, N_SINGLE));
  assert.deepEqual(received.seqs(inGroup), range(1, N_GROUP));
  assert.deepEqual(received.texts(fromAnn), range(1, N_SINGLE).map((i) => `ann-${i}`));
  assert.deepEqual(received.texts(inGroup), range(1, N_GROUP).map((i) => `group-${i}`));
  assert.equal(received.byConversation.size, 3);
});

test("a feed resumed from a checkpoint passes on exactly what was missed; one from now passes on no history", async () => {
  const ann = await fx.user("Ann");
  const bob = await fx.user("Bob");
  const annClient = await fx.connected(ann);

  const first = await fx.newClient(bob);
  const before = new Received();
  const firstFeed = MessageFeed.attach(first, FeedStart.fromNow(), before.listener);
  await first.connect();
  await firstFeed.synced();
  const conversationId = await sendAll(annClient, SINGLE, bob, "early-", 3);
  await until(() => before.byConversation.size === 1 && [...before.byConversation.values()][0]!.length === 3, 5_000,
    () => before.describe());
  const saved = JSON.parse(JSON.stringify(firstFeed.checkpoint())) as { version: number; positions: Record<string, number> };
  await first.close();

  await sendAll(annClient, SINGLE, bob, "missed-", 4);

  const resumedClient = await fx.newClient(bob);
  const resumed = new Received();
  const resumedFeed = MessageFeed.attach(resumedClient, FeedStart.from(saved.version, saved.positions), resumed.listener);
  await resumedClient.connect();
  await resumedFeed.synced();
  const bobConversation = [...resumed.byConversation.keys()][0]!;
  assert.deepEqual(resumed.seqs(bobConversation), [4, 5, 6, 7]);
  assert.deepEqual(resumed.texts(bobConversation), ["missed-1", "missed-2", "missed-3", "missed-4"]);

  const fresh = await fx.newClient(bob, { deviceId: 2 });
  const fromNow = new Received();
  const freshFeed = MessageFeed.attach(fresh, FeedStart.fromNow(), fromNow.listener);
  await fresh.connect();
  await freshFeed.synced();
  assert.equal(fromNow.byConversation.size, 0, "history is not passed on");
  await annClient.sendMessage(text(SINGLE, bob, "new"));
  await until(() => fromNow.count(bobConversation) === 1 && resumed.count(bobConversation) === 5, 5_000,
    () => `${fromNow.describe()} / ${resumed.describe()}`);
  assert.deepEqual(fromNow.seqs(bobConversation), [8]);
  assert.notEqual(conversationId, bobConversation, "Ann's and Bob's copies are separate conversations");
});

test("the user's own messages enter the feed: sent through it, or from another device", async () => {
  const ann = await fx.user("Ann");
  const bob = await fx.user("Bob");
  const phone = await fx.newClient(ann, { deviceId: 1 });
  const laptop = await fx.connected(ann, { deviceId: 2 });
  const received = new Received();
  const feed = MessageFeed.attach(phone, FeedStart.fromNow(), received.listener);
  await phone.connect();
  await feed.synced();

  const first = await feed.send(text(SINGLE, bob, "from the phone 1"));
  await feed.send(text(SINGLE, bob, "from the phone 2"));
  await laptop.sendMessage(text(SINGLE, bob, "from the laptop"));
  await feed.send(text(SINGLE, bob, "from the phone 3"));
  await until(() => received.count(first.conversationId) === 4, 5_000, () => received.describe());
  assert.deepEqual(received.seqs(first.conversationId), [1, 2, 3, 4]);
  assert.deepEqual(received.texts(first.conversationId),
    ["from the phone 1", "from the phone 2", "from the laptop", "from the phone 3"]);
});

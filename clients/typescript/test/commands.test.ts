// The command API against a real server: sign-in, 1:1 and group chat with pushes, conversations and unread counts,
// sync, read receipts, recall, and the smaller commands.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, test } from "node:test";
import { ImError, type ImClient } from "../dist/index.js";
import { APP_ID, Fixture, Inbox, sleep, text } from "./support/fixture.js";

const SINGLE = 1;
const GROUP = 2;

let fx: Fixture;
before(async () => {
  fx = await Fixture.start();
});
after(async () => {
  await fx?.stop();
});

function textOf(item: { messageBody?: { messageContent?: { text?: { text: string } | null } | null } | null }): string {
  return item.messageBody?.messageContent?.text?.text ?? "";
}

describe("sign-in", () => {
  test("a valid token signs in, and the server answers heartbeats", async (t) => {
    // `npm test` runs this file twice: on the `ws` package, and on Node's WHATWG (browser) WebSocket
    t.diagnostic(`WebSocket: ${"WebSocket" in globalThis ? "global (WHATWG)" : "the ws package"}`);
    const ann = await fx.user("Ann");
    const client = await fx.newClient(ann);
    const states: string[] = [];
    client.on("state", ({ state }) => states.push(state));
    await client.connect();
    assert.equal(client.state, "connected");
    assert.deepEqual(states, ["connecting", "connected"]);
    await client.heartbeat();
    assert.equal((await client.getUserInfo()).nickname, "Ann");
  });

  test("a token of another user is refused with 401 and the client stays disconnected", async () => {
    const ann = await fx.user("Ann");
    const bob = await fx.user("Bob");
    const client = await fx.newClient(ann, { token: await fx.server.admin.token(APP_ID, bob, 1) });
    await assert.rejects(client.connect(), (error: unknown) => {
      assert.ok(error instanceof ImError);
      assert.equal(error.type, "sign");
      assert.equal(error.code, 401);
      return true;
    });
    assert.equal(client.state, "disconnected");
    await assert.rejects(client.chatReadNum(), (error: unknown) => error instanceof ImError && error.code === ImError.NOT_CONNECTED);
  });

  test("a malformed token is refused with 401", async () => {
    const ann = await fx.user("Ann");
    const client = await fx.newClient(ann, { token: "not-a-token" });
    await assert.rejects(client.connect(), (error: unknown) => error instanceof ImError && error.code === 401);
  });

  test("a server that is not there fails connect() with TRANSPORT", async () => {
    const ann = await fx.user("Ann");
    const client = await fx.newClient(ann, { url: `ws://127.0.0.1:${await closedPort()}/ws` });
    await assert.rejects(client.connect(), (error: unknown) =>
      error instanceof ImError && error.code === ImError.TRANSPORT && error.type === "connect");
    assert.equal(client.state, "disconnected");
  });

  test("signing in with the same device elsewhere kicks the older connection for good", async () => {
    const ann = await fx.user("Ann");
    const first = await fx.connected(ann);
    const kicks = new Inbox(first, "kick");
    await fx.connected(ann);
    const [kick] = await kicks.waitFor(1);
    assert.equal(kick!.code, 410);
    await sleepUntilState(first, "closed");
  });
});

describe("single chat", () => {
  test("a message reaches every device of the peer and the sender's other device", async () => {
    const ann = await fx.user("Ann");
    const bob = await fx.user("Bob");
    const annPhone = await fx.connected(ann, { deviceId: 1 });
    const annLaptop = await fx.connected(ann, { deviceId: 2 });
    const bobPhone = await fx.connected(bob, { deviceId: 1 });
    const bobLaptop = await fx.connected(bob, { deviceId: 2 });
    const toBobPhone = new Inbox(bobPhone, "message");
    const toBobLaptop = new Inbox(bobLaptop, "message");
    const toAnnLaptop = new Inbox(annLaptop, "message");
    const toAnnPhone = new Inbox(annPhone, "message");

    const stored = await annPhone.sendMessage(text(SINGLE, bob, "hello <b>Bob</b>"));
    assert.ok(stored.id > 0);
    assert.equal(stored.seq, 1);
    assert.equal(stored.senderId, ann);
    assert.equal(stored.receiverId, bob);

    const [atPhone] = await toBobPhone.waitFor(1);
    const [atLaptop] = await toBobLaptop.waitFor(1);
    assert.equal(textOf(atPhone!), "hello <b>Bob</b>"); // as sent, byte for byte
    assert.equal(atPhone!.senderId, ann);
    assert.equal(atPhone!.senderName, "Ann");
    assert.equal(atPhone!.seq, 1);
    assert.notEqual(atPhone!.id, stored.id); // the receiver's own copy (write diffusion)
    assert.notEqual(atPhone!.conversationId, stored.conversationId);
    assert.equal(atLaptop!.id, atPhone!.id);

    const [sendersCopy] = await toAnnLaptop.waitFor(1);
    assert.equal(sendersCopy!.id, stored.id);
    await sleep(200);
    assert.equal(toAnnPhone.items.length, 0, "the sending device gets the reply only");
  });

  test("unread counts, reading, readsync and receipt pushes", async () => {
    const ann = await fx.user("Ann");
    const bob = await fx.user("Bob");
    const annClient = await fx.connected(ann);
    const bobPhone = await fx.connected(bob, { deviceId: 1 });
    const bobLaptop = await fx.connected(bob, { deviceId: 2 });
    const pushed = new Inbox(bobPhone, "message");
    const receipts = new Inbox(annClient, "receipt");
    const readsyncs = new Inbox(bobLaptop, "readsync");

    const sent = [];
    for (const body of ["one", "two", "three"]) sent.push(await annClient.sendMessage(text(SINGLE, bob, body)));
    const received = await pushed.waitFor(3);

    let list = await bobPhone.conversations();
    assert.equal(list.conversation.length, 1);
    const conversation = list.conversation[0]!;
    assert.equal(conversation.receiveNum, 3);
    assert.equal(conversation.lastSeq, 3);
    assert.equal(conversation.readSeq, 0);
    assert.equal(conversation.messagenewcontent, "three");
    assert.equal(await bobPhone.chatReadNum(), 3);

    await bobPhone.messageRead(received[1]!.id);
    list = await bobPhone.conversations();
    assert.equal(list.conversation[0]!.receiveNum, 1);
    assert.equal(await bobPhone.chatReadNum(), 1);

    const [readsync] = await readsyncs.waitFor(1);
    assert.equal(readsync!.conversationId, conversation.id);
    assert.equal(readsync!.readSeq, 2);
    assert.equal(readsync!.unread, 1);
    const [receipt] = await receipts.waitFor(1);
    assert.equal(receipt!.conversationId, sent[0]!.conversationId);
    assert.equal(receipt!.readerId, bob);
    assert.equal(receipt!.readSeq, 2);

    // the sender's conversation is read up to its own message and shows the peer's read position
    const annList = await annClient.conversations();
    assert.equal(annList.conversation[0]!.receiveNum, 0);
    assert.equal(annList.conversation[0]!.peerReadSeq, 2);
  });

  test("sync pages by seq both ways, and by offset", async () => {
    const ann = await fx.user("Ann");
    const bob = await fx.user("Bob");
    const annClient = await fx.connected(ann);
    const bobClient = await fx.connected(bob);
    let conversationId = 0;
    for (let i = 1; i <= 7; i++) conversationId = (await annClient.sendMessage(text(SINGLE, bob, `m${i}`))).conversationId;

    const first = await annClient.sync({ conversationId, afterSeq: 0, limit: 3 });
    assert.deepEqual(first.messages.map((m) => m.seq), [1, 2, 3]);
    assert.equal(first.hasMore, true);
    const rest = await annClient.sync({ conversationId, afterSeq: 3, limit: 10 });
    assert.deepEqual(rest.messages.map((m) => m.seq), [4, 5, 6, 7]);
    assert.equal(rest.hasMore, false);
    const back = await annClient.sync({ conversationId, beforeSeq: 5, limit: 2 });
    assert.deepEqual(back.messages.map((m) => textOf(m)), ["m4", "m3"]);
    assert.equal(back.hasMore, true);
    assert.deepEqual((await annClient.catchUp(conversationId, 2)).map((m) => m.seq), [3, 4, 5, 6, 7]);

    const bobConversation = (await bobClient.conversations()).conversation[0]!;
    const newest = await bobClient.sync({ conversationId: bobConversation.id, receiverType: SINGLE, limit: 2 });
    assert.deepEqual(newest.messages.map((m) => textOf(m)), ["m7", "m6"]);

    await assert.rejects(bobClient.sync({ conversationId, afterSeq: 0 }), (error: unknown) =>
      error instanceof ImError && error.type === "sync" && error.code === 403);
  });

  test("recall reaches the peer as a recalled push and empties every copy", async () => {
    const ann = await fx.user("Ann");
    const bob = await fx.user("Bob");
    const annClient = await fx.connected(ann);
    const bobClient = await fx.connected(bob);
    const messages = new Inbox(bobClient, "message");
    const recalls = new Inbox(bobClient, "recalled");

    const stored = await annClient.sendMessage(text(SINGLE, bob, "oops"));
    const [bobsCopy] = await messages.waitFor(1);
    const recalled = await annClient.recall(stored.id);
    assert.equal(recalled.id, stored.id);
    assert.equal(recalled.status, 1);

    const [push] = await recalls.waitFor(1);
    assert.equal(push!.id, bobsCopy!.id);
    assert.equal(push!.status, 1);
    assert.equal(push!.messageBody ?? null, null);
    const [synced] = (await bobClient.sync({ conversationId: bobsCopy!.conversationId, afterSeq: 0 })).messages;
    assert.equal(synced!.status, 1);

    await assert.rejects(bobClient.recall(bobsCopy!.id), (error: unknown) => error instanceof ImError && error.code === 403);
  });

  test("delete for me leaves a tombstone for the caller only", async () => {
    const ann = await fx.user("Ann");
    const bob = await fx.user("Bob");
    const annClient = await fx.connected(ann);
    const bobClient = await fx.connected(bob);
    const stored = await annClient.sendMessage(text(SINGLE, bob, "keep?"));
    await annClient.deleteMessage(stored.id);
    const [mine] = (await annClient.sync({ conversationId: stored.conversationId, afterSeq: 0 })).messages;
    assert.equal(mine!.status, 2);
    assert.equal(mine!.seq, 1);
    const bobConversation = (await bobClient.conversations()).conversation[0]!;
    const [theirs] = (await bobClient.sync({ conversationId: bobConversation.id, afterSeq: 0 })).messages;
    assert.equal(theirs!.status, 0);
    assert.equal(textOf(theirs!), "keep?");
  });
});

describe("group chat", () => {
  test("a group message reaches every other member with the member's own conversation id", async () => {
    const ann = await fx.user("Ann");
    const bob = await fx.user("Bob");
    const cid = await fx.user("Cid");
    await fx.server.admin.createGroup(APP_ID, "team", ann, [bob, cid]);
    const annClient = await fx.connected(ann);
    const bobClient = await fx.connected(bob);
    const cidClient = await fx.connected(cid);
    const toAnn = new Inbox(annClient, "message");
    const toBob = new Inbox(bobClient, "message");
    const toCid = new Inbox(cidClient, "message");

    const annGroup = (await annClient.conversations()).conversation.find((c) => c.receiverType === GROUP)!;
    const stored = await annClient.sendMessage(text(GROUP, annGroup.receiverId, "hi team"));
    assert.equal(stored.seq, 1);
    const [atBob] = await toBob.waitFor(1);
    const [atCid] = await toCid.waitFor(1);
    for (const item of [atBob!, atCid!]) {
      assert.equal(textOf(item), "hi team");
      assert.equal(item.id, stored.id); // one record per group message (read diffusion)
      assert.equal(item.seq, 1);
    }
    const bobGroup = (await bobClient.conversations()).conversation.find((c) => c.receiverType === GROUP)!;
    assert.equal(atBob!.conversationId, bobGroup.id);
    assert.equal(bobGroup.receiveNum, 1);
    await sleep(200);
    assert.equal(toAnn.items.length, 0);

    await bobClient.messageRead(atBob!.id);
    const [count] = await annClient.groupReadCount(annGroup.id, [1]);
    assert.equal(count!.seq, 1);
    assert.equal(count!.readCount, 1);
    assert.equal(count!.memberCount, 2);
  });

  test("creatgroup and groupbyuser", async () => {
    const ann = await fx.user("Ann");
    const bob = await fx.user("Bob");
    const annClient = await fx.connected(ann);
    const bobClient = await fx.connected(bob);
    const created = await annClient.createGroup({ group: { name: "book club", userIds: String(bob) } });
    assert.ok(created.groupLastInsertID > 0);
    const annGroups = (await annClient.groupByUser(1)).groups;
    assert.deepEqual(annGroups.map((g) => g.name), ["book club"]);
    const bobGroups = (await bobClient.groupByUser(2)).groups;
    assert.deepEqual(bobGroups.map((g) => g.groupId), [created.groupLastInsertID]);
    assert.deepEqual((await bobClient.groupByUser(1)).groups, []);
  });
});

describe("conversations, users and presence", () => {
  test("addconversation, pin and mute", async () => {
    const ann = await fx.user("Ann");
    const bob = await fx.user("Bob");
    const cid = await fx.user("Cid");
    const annClient = await fx.connected(ann);
    const bobClient = await fx.connected(bob);
    const cidClient = await fx.connected(cid);
    const withBob = await annClient.addConversation({ userId: bob, type: SINGLE });
    assert.ok(withBob.conversationId > 0);
    assert.equal((await annClient.addConversation({ userId: bob, type: SINGLE })).conversationId, withBob.conversationId);

    await bobClient.sendMessage(text(SINGLE, ann, "from bob"));
    await cidClient.sendMessage(text(SINGLE, ann, "from cid"));
    let list = (await annClient.conversations()).conversation;
    assert.deepEqual(list.map((c) => c.receiverId), [cid, bob]); // latest activity first
    await annClient.upConversation({ conversationId: withBob.conversationId, top: 2 });
    list = (await annClient.conversations()).conversation;
    assert.deepEqual(list.map((c) => c.receiverId), [bob, cid]); // pinned first
    assert.equal(list[0]!.top, 2);

    assert.equal(await annClient.chatReadNum(), 2);
    await annClient.disturbConversation({ conversationId: withBob.conversationId, disturb: 2 });
    assert.equal(await annClient.chatReadNum(), 1, "muted conversations do not count");
  });

  test("getuserinfo, online and typing", async () => {
    const ann = await fx.user("Ann");
    const bob = await fx.user("Bob");
    const offline = await fx.user("Dan");
    const annClient = await fx.connected(ann);
    const bobClient = await fx.connected(bob);
    const typing = new Inbox(bobClient, "peertyping");

    const info = await annClient.getUserInfo(bob);
    assert.equal(info.userId, bob);
    assert.equal(info.nickname, "Bob");
    await assert.rejects(annClient.getUserInfo(999_999), (error: unknown) => error instanceof ImError && error.code === 404);

    assert.deepEqual((await annClient.online([bob, offline])).sort(), [bob]);
    await annClient.typing(SINGLE, bob);
    const [notice] = await typing.waitFor(1);
    assert.equal(notice!.senderId, ann);
    assert.equal(notice!.receiverType, SINGLE);
  });

  test("a raw request gets the reply whatever its code", async () => {
    const ann = await fx.user("Ann");
    const client = await fx.connected(ann);
    const reply = await client.request("nosuchcommand");
    assert.equal(reply.type, "nosuchcommand");
    assert.equal(reply.code, 405);
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ok) => probe.listen(0, "127.0.0.1", ok));
  const address = probe.address();
  await new Promise((ok) => probe.close(ok));
  return typeof address === "object" && address ? address.port : 1;
}

async function sleepUntilState(client: ImClient, state: string): Promise<void> {
  for (let i = 0; i < 250 && client.state !== state; i++) await sleep(20);
  assert.equal(client.state, state);
}

// Connection trouble made by a TCP proxy between client and server: lost replies, cut and frozen connections.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Backoff, ImError, type StateChange } from "../dist/index.js";
import { Fixture, Inbox, sleep, text, until } from "./support/fixture.js";
import { TcpProxy } from "./support/proxy.js";

const SINGLE = 1;
const FAST_RECONNECT = new Backoff(50, 200, 0.5);

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

test("a repeated client message id stores and pushes the message once", async () => {
  const ann = await fx.user("Ann");
  const bob = await fx.user("Bob");
  const annClient = await fx.connected(ann);
  const bobClient = await fx.connected(bob);
  const pushes = new Inbox(bobClient, "message");
  const message = { ...text(SINGLE, bob, "once"), clientMsgId: "fixed-id-1" };
  const first = await annClient.sendMessage(message);
  const again = await annClient.sendMessage(message);
  assert.equal(again.id, first.id);
  assert.equal(again.seq, first.seq);
  await pushes.waitFor(1);
  await sleep(300);
  assert.equal(pushes.items.length, 1);
});

test("sendReliably re-sends after a reply was lost and the server keeps one copy", async () => {
  const ann = await fx.user("Ann");
  const bob = await fx.user("Bob");
  const annClient = await fx.connected(ann, { url: proxy.url(), reconnect: FAST_RECONNECT });
  const bobClient = await fx.connected(bob);
  const pushes = new Inbox(bobClient, "message");
  const states: StateChange[] = [];
  annClient.on("state", (change) => states.push(change));

  // the server gets the send but its reply never reaches the client; then the connection is cut
  proxy.freezeAll({ up: false, down: true });
  const sending = annClient.sendReliably(text(SINGLE, bob, "exactly once"));
  const [pushed] = await pushes.waitFor(1); // stored and delivered to Bob: the first attempt took effect
  proxy.cutAll();

  const stored = await sending;
  assert.equal(annClient.reconnects, 1);
  assert.deepEqual(states.map((s) => s.state), ["reconnecting", "connected"]);
  assert.equal(states[0]!.cause?.code, ImError.CONNECTION_LOST);
  assert.equal(stored.seq, 1);
  const history = await annClient.catchUp(stored.conversationId, 0);
  assert.deepEqual(history.map((m) => m.id), [stored.id], "the resend stored nothing new");
  await sleep(300);
  assert.equal(pushes.items.length, 1, "Bob got the message once");
  assert.equal(pushed!.clientMsgId, history[0]!.clientMsgId);
});

test("sendReliably while reconnecting waits for the connection and sends", async () => {
  const ann = await fx.user("Ann");
  const bob = await fx.user("Bob");
  const annClient = await fx.connected(ann, { url: proxy.url(), reconnect: new Backoff(300, 300, 0) });
  const bobClient = await fx.connected(bob);
  const pushes = new Inbox(bobClient, "message");
  proxy.cutAll();
  await until(() => annClient.state === "reconnecting", 2_000, () => annClient.state);
  await assert.rejects(annClient.sendMessage(text(SINGLE, bob, "plain")), (error: unknown) =>
    error instanceof ImError && error.code === ImError.NOT_CONNECTED);
  const stored = await annClient.sendReliably(text(SINGLE, bob, "reliable"));
  assert.equal(stored.seq, 1);
  const [pushed] = await pushes.waitFor(1);
  assert.equal(pushed!.messageBody?.messageContent?.text?.text, "reliable");
});

test("a request open when the connection drops fails with CONNECTION_LOST", async () => {
  const ann = await fx.user("Ann");
  const client = await fx.connected(ann, { url: proxy.url(), reconnect: FAST_RECONNECT });
  proxy.freezeAll({ up: true, down: true });
  const open = client.chatReadNum();
  await sleep(50);
  proxy.cutAll();
  await assert.rejects(open, (error: unknown) => error instanceof ImError && error.code === ImError.CONNECTION_LOST);
  await client.connect(); // the reconnect in progress
  assert.equal(await client.chatReadNum(), 0);
});

test("a frozen connection is detected by the heartbeat and replaced", async () => {
  const ann = await fx.user("Ann");
  const bob = await fx.user("Bob");
  const annClient = await fx.connected(ann, {
    url: proxy.url(), heartbeatIntervalMs: 200, heartbeatTimeoutMs: 300, reconnect: FAST_RECONNECT,
  });
  const bobClient = await fx.connected(bob);
  const pushes = new Inbox(annClient, "message");
  const causes: (ImError | undefined)[] = [];
  annClient.on("state", ({ state, cause }) => {
    if (state === "reconnecting") causes.push(cause);
  });
  await sleep(500); // a few heartbeats answered on a healthy connection
  assert.equal(annClient.reconnects, 0);

  proxy.freezeAll({ up: true, down: true }); // no close, no bytes: only the heartbeat can tell
  await until(() => annClient.reconnects === 1 && annClient.state === "connected", 3_000,
    () => `state ${annClient.state}, reconnects ${annClient.reconnects}`);
  assert.equal(causes[0]?.type, "heartbeat");
  assert.equal(causes[0]?.code, ImError.TIMEOUT);

  await bobClient.sendMessage(text(SINGLE, ann, "after the freeze"));
  const [pushed] = await pushes.waitFor(1);
  assert.equal(pushed!.messageBody?.messageContent?.text?.text, "after the freeze");
});

test("close() ends the client for good: no reconnect, requests fail", async () => {
  const ann = await fx.user("Ann");
  const client = await fx.connected(ann, { url: proxy.url(), reconnect: FAST_RECONNECT });
  const before = proxy.accepted;
  await client.close();
  assert.equal(client.state, "closed");
  await sleep(300);
  assert.equal(proxy.accepted, before, "no new connection");
  await assert.rejects(client.heartbeat(), (error: unknown) => error instanceof ImError && error.code === ImError.NOT_CONNECTED);
  await assert.rejects(client.connect(), (error: unknown) => error instanceof ImError && error.code === ImError.CLOSED);
});

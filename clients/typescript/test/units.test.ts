// The parts that need no server: backoff delays, reply matching, the codec.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Backoff, decode, encode, MessageType } from "../dist/index.js";
import { ReplyMatcher } from "../dist/reply-matcher.js";

test("backoff doubles from the initial delay up to the maximum, jitter taking up to its fraction off", () => {
  const backoff = new Backoff(200, 10_000, 0.5);
  assert.deepEqual([0, 1, 2, 3, 5, 6, 50].map((n) => backoff.baseMs(n)), [200, 400, 800, 1600, 6400, 10_000, 10_000]);
  assert.equal(backoff.delayMs(0, () => 0), 200);
  assert.equal(backoff.delayMs(0, () => 0.999_999), 100);
  assert.equal(backoff.delayMs(3, () => 0.5), 1200);
  assert.throws(() => new Backoff(0, 10, 0.5), RangeError);
  assert.throws(() => new Backoff(100, 50, 0.5), RangeError);
  assert.throws(() => new Backoff(100, 200, 1.5), RangeError);
});

function output(type: string, code = 200) {
  return { type, code, message: "ok", data: new Uint8Array() };
}

test("replies go to the oldest open request of their type; a reply nobody waits for is a push", async () => {
  const matcher = new ReplyMatcher();
  const first = matcher.register("sync");
  const second = matcher.register("sync");
  const read = matcher.register("messageread");
  assert.equal(matcher.complete(output("messageread", 404)), true);
  assert.equal(matcher.complete(output("sync", 200)), true);
  assert.equal(matcher.complete(output("sync", 403)), true);
  assert.equal((await first.reply).code, 200);
  assert.equal((await second.reply).code, 403);
  assert.equal((await read.reply).code, 404);
  assert.equal(matcher.complete(output("message")), false);
  assert.equal(matcher.size, 0);
});

test("a timed-out request keeps its place, so its late reply does not go to the next request", async () => {
  const matcher = new ReplyMatcher();
  const late = matcher.register("sync");
  late.fail(new Error("timeout"));
  const next = matcher.register("sync");
  matcher.complete(output("sync", 500)); // the late reply of the first
  matcher.complete(output("sync", 200));
  await assert.rejects(late.reply, /timeout/);
  assert.equal((await next.reply).code, 200);
});

test("failAll rejects every open request", async () => {
  const matcher = new ReplyMatcher();
  const a = matcher.register("sync");
  const b = matcher.register("sendmessage");
  matcher.failAll((type) => new Error(`lost ${type}`));
  await assert.rejects(a.reply, /lost sync/);
  await assert.rejects(b.reply, /lost sendmessage/);
  assert.equal(matcher.size, 0);
});

test("the codec round-trips a message with 64-bit numbers, a oneof and an explicitly set optional zero", () => {
  const bytes = encode("MessageItem", {
    id: 2 ** 40 + 1, seq: 7, conversationId: 3, clientMsgId: "c-1",
    messageBody: { messageType: MessageType.MT_TEXT, messageContent: { text: { text: "héllo" } } },
  });
  const item = decode("MessageItem", bytes);
  assert.equal(item.id, 2 ** 40 + 1);
  assert.equal(item.seq, 7);
  assert.equal(item.messageBody?.messageContent?.content, "text");
  assert.equal(item.messageBody?.messageContent?.text?.text, "héllo");
  assert.deepEqual(item.toUserIds, []);
  assert.equal(decode("SyncReq", encode("SyncReq", { conversationId: 1, afterSeq: 0 })).afterSeq, 0);
  assert.equal(decode("SyncReq", encode("SyncReq", { conversationId: 1 })).afterSeq, undefined);
});

import type { Output } from "./generated/im.js";

interface OpenRequest {
  settled: boolean;
  resolve(reply: Output): void;
  reject(error: Error): void;
}

/**
 * Matches replies to requests. The server answers a connection's requests in the order they were sent (and a
 * `heartbeat` at once), and a reply carries its request's type, so the oldest open request of a type takes the next
 * `Output` of that type. An `Output` whose type has no open request is a push.
 *
 * A request that timed out keeps its place in the queue: its late reply still belongs to it and must not be handed
 * to the next request of the same type.
 */
export class ReplyMatcher {
  private open = new Map<string, OpenRequest[]>();
  private count = 0;

  /**
   * Registers a request of `type` just before it is written. The promise settles with the reply, or rejects
   * through `fail` or `failAll`.
   */
  register(type: string): { reply: Promise<Output>; fail(error: Error): void } {
    let entry!: OpenRequest;
    const reply = new Promise<Output>((resolve, reject) => {
      entry = { settled: false, resolve, reject };
    });
    let queue = this.open.get(type);
    if (!queue) {
      queue = [];
      this.open.set(type, queue);
    }
    queue.push(entry);
    this.count++;
    return {
      reply,
      // fails the caller's promise but keeps the queue place (see the class comment)
      fail: (error) => {
        if (!entry.settled) {
          entry.settled = true;
          entry.reject(error);
        }
      },
    };
  }

  /** Hands `output` to the oldest open request of its type; false if there is none (a push). */
  complete(output: Output): boolean {
    const queue = this.open.get(output.type);
    const entry = queue?.shift();
    if (!entry) return false;
    this.count--;
    if (!entry.settled) {
      entry.settled = true;
      entry.resolve(output);
    }
    return true;
  }

  /** Fails every open request (the connection is gone: no reply can come) and forgets them. */
  failAll(errorFor: (type: string) => Error): void {
    const all = this.open;
    this.open = new Map();
    this.count = 0;
    for (const [type, queue] of all) {
      for (const entry of queue) {
        if (!entry.settled) {
          entry.settled = true;
          entry.reject(errorFor(type));
        }
      }
    }
  }

  /** Requests written and not answered yet (timed-out ones whose reply has not come included). */
  get size(): number {
    return this.count;
  }
}

// One server per test file, its users and clients, and helpers to wait for pushes.
import { ImClient, type ClientEvents, type ImClientOptions, type Init, type SendMessage } from "../../dist/index.js";
import { startServer, type TestServer } from "./server.js";

export const APP_ID = 1;

export class Fixture {
  private nextUserId = 100;
  private readonly clients: ImClient[] = [];

  private constructor(readonly server: TestServer) {}

  static async start(): Promise<Fixture> {
    const server = await startServer();
    await server.admin.putApp(APP_ID, "ts client tests");
    return new Fixture(server);
  }

  /** A new user of the app (ids are never reused within a file, so tests do not see each other's messages). */
  async user(nickname: string): Promise<number> {
    const userId = this.nextUserId++;
    await this.server.admin.putUser(APP_ID, userId, nickname);
    return userId;
  }

  /** A client of `userId` (not connected yet), closed by stop(). */
  async newClient(userId: number, options: Partial<ImClientOptions> = {}): Promise<ImClient> {
    const deviceId = options.deviceId ?? 1;
    const client = new ImClient({
      url: this.server.wsUrl,
      appId: APP_ID,
      userId,
      deviceId,
      token: await this.server.admin.token(APP_ID, userId, deviceId),
      ...options,
    });
    this.clients.push(client);
    return client;
  }

  /** A connected (signed-in) client of `userId`. */
  async connected(userId: number, options: Partial<ImClientOptions> = {}): Promise<ImClient> {
    const client = await this.newClient(userId, options);
    await client.connect();
    return client;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.clients.map((c) => c.close()));
    await this.server.stop();
  }
}

export function text(receiverType: number, receiverId: number, body: string): Init<SendMessage> {
  return { receiverType, receiverId, messageBody: { messageType: 1, messageContent: { text: { text: body } } } };
}

/** Collects one event of a client, to wait for a number of them. */
export class Inbox<E extends keyof ClientEvents> {
  readonly items: ClientEvents[E][] = [];

  constructor(client: ImClient, event: E) {
    client.on(event, (payload) => this.items.push(payload));
  }

  /** Waits until `count` events have arrived; returns them all. */
  async waitFor(count: number, timeoutMs = 5_000): Promise<ClientEvents[E][]> {
    await until(() => this.items.length >= count, timeoutMs,
      () => `${count} events expected, ${this.items.length} arrived`);
    return this.items;
  }
}

/** Polls `condition` every 20 ms until it holds; fails after `timeoutMs` with `describe()`. */
export async function until(condition: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}

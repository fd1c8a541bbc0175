// A TCP proxy between test clients and the server, to break connections the way a network does: cut them
// (the client sees the socket close) or freeze them (bytes stop flowing, the socket stays open).
import { createServer, connect, type Server, type Socket } from "node:net";

interface Pair {
  client: Socket;
  upstream: Socket;
  /** bytes from the client are dropped */
  upFrozen: boolean;
  /** bytes from the server are dropped */
  downFrozen: boolean;
}

export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  /** connections accepted so far */
  accepted = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    let proxy!: TcpProxy;
    const server = createServer((client) => proxy.accept(client, targetPort));
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const address = server.address();
    proxy = new TcpProxy(server, typeof address === "object" && address ? address.port : 0);
    return proxy;
  }

  url(path = "/ws"): string {
    return `ws://127.0.0.1:${this.port}${path}`;
  }

  private accept(client: Socket, targetPort: number): void {
    this.accepted++;
    const upstream = connect(targetPort, "127.0.0.1");
    const pair: Pair = { client, upstream, upFrozen: false, downFrozen: false };
    this.pairs.add(pair);
    client.on("data", (bytes) => {
      if (!pair.upFrozen) upstream.write(bytes);
    });
    upstream.on("data", (bytes) => {
      if (!pair.downFrozen) client.write(bytes);
    });
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  }

  /** Open connections through the proxy. */
  get open(): number {
    return this.pairs.size;
  }

  /** Cuts every open connection (both sockets destroyed, no WebSocket close frame). */
  cutAll(): void {
    for (const pair of [...this.pairs]) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
  }

  /** Stops the bytes of every open connection in the given directions; new connections are not affected. */
  freezeAll(directions: { up: boolean; down: boolean }): void {
    for (const pair of this.pairs) {
      pair.upFrozen ||= directions.up;
      pair.downFrozen ||= directions.down;
    }
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }
}

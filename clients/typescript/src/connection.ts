// The connection half of the client: socket, sign-in, reply matching, heartbeat, reconnect, pushes. The command API
// (one method per command) is ImClient in client.ts.
import { Backoff } from "./backoff.js";
import { decode, encode, type Init } from "./codec.js";
import { deferred, type Deferred } from "./deferred.js";
import { ImError } from "./errors.js";
import type { Input, MessageItem, Output, ReadReceipt, TypingNotice } from "./generated/im.js";
import { Listeners } from "./listeners.js";
import { ReplyMatcher } from "./reply-matcher.js";
import { defaultWebSocket, FrameSocket, type WebSocketConstructor } from "./transport.js";

/** How a client connects and signs in. Times are in milliseconds. */
export interface ImClientOptions {
  /** The server's WebSocket URL, `ws://host:port/ws`. */
  url: string;
  appId: number;
  userId: number;
  /** This device's id (> 0, default 1); the same app/user/device signing in elsewhere replaces this connection. */
  deviceId?: number;
  /** From the admin API's `POST /api/v1/apps/{app}/tokens`. */
  token: string;
  /** A `heartbeat` is sent this often while signed in (default 10,000). */
  heartbeatIntervalMs?: number;
  /** No heartbeat reply within this: the connection is dropped and re-established (default 10,000). */
  heartbeatTimeoutMs?: number;
  /** Delays between reconnect attempts (default 200 ms doubling to 10 s, jitter 0.5). */
  reconnect?: Backoff;
  /** Reconnect and sign in again after an unexpected close (default true); never after close() or a kick. */
  autoReconnect?: boolean;
  /** A request without reply this long fails with TIMEOUT; 0: no timeout (default 30,000). */
  requestTimeoutMs?: number;
  /** The WebSocket handshake, and then the sign reply, each within this (default 10,000). */
  connectTimeoutMs?: number;
  /** The WebSocket implementation; default: the global WebSocket, else the `ws` package. */
  webSocket?: WebSocketConstructor;
  /** Where exceptions thrown by listeners go (default console.error). */
  onListenerError?: (error: unknown) => void;
  /** Uniform random numbers in [0, 1) for heartbeat spread and backoff jitter (default Math.random). */
  random?: () => number;
}

/**
 * `disconnected` → `connecting` → `connected` → (`reconnecting` → `connected`)* → `closed`. `disconnected` again
 * after a failed first connect().
 */
export type ConnectionState = "disconnected" | "connecting" | "connected" | "reconnecting" | "closed";

export interface StateChange {
  state: ConnectionState;
  /** Why the connection went down or was refused, if it did. */
  cause?: ImError;
}

/** Events of a client, by name; pushes are decoded to their message type. */
export interface ClientEvents {
  state: StateChange;
  /** Every push (any Output that answers no open request), raw, before its typed event. */
  push: Output;
  /** A new message (single or group chat); MessageFeed turns these into a gap-free stream. */
  message: MessageItem;
  /** A message was recalled: the receiver's copy, status 1, body removed. */
  recalled: MessageItem;
  /** This user's read position moved on another device. */
  readsync: ReadReceipt;
  /** 1:1 peer has read this user's messages up to `readSeq`. */
  receipt: ReadReceipt;
  /** Someone is typing to this user or in one of its groups. */
  peertyping: TypingNotice;
  /** Signed in elsewhere with the same app/user/device (code 410); the client closes and does not reconnect. */
  kick: ImError;
}

/** Typed push events and the message each one's data holds. */
const PUSH_DATA = {
  message: "MessageItem",
  recalled: "MessageItem",
  readsync: "ReadReceipt",
  receipt: "ReadReceipt",
  peertyping: "TypingNotice",
} as const;

// A sign-in refused on reconnect with these codes will be refused again: the token is no longer valid.
const FINAL_SIGN_CODES = new Set([401, 403, 404, 419]);

type Timer = ReturnType<typeof setTimeout>;

export class ImConnection {
  protected readonly options: Readonly<Required<Omit<ImClientOptions, "webSocket">>> & {
    webSocket?: WebSocketConstructor;
  };
  private readonly replies = new ReplyMatcher();
  private readonly listeners: Listeners<ClientEvents>;

  private socket: FrameSocket | undefined;
  private signed = false;
  private everSigned = false;
  private kicked = false;
  private pendingCause: ImError | undefined;
  private connecting: Deferred<void> | undefined;
  private readonly closed = deferred<void>();
  private attempt = 0;
  private currentState: ConnectionState = "disconnected";
  private reconnectCount = 0;
  private heartbeatTimer: Timer | undefined;
  private reconnectTimer: Timer | undefined;
  private connectTimer: Timer | undefined;

  constructor(options: ImClientOptions) {
    if (!/^wss?:\/\//i.test(options.url)) throw new TypeError(`url: ${options.url} (expected: ws://host:port/ws)`);
    // an option given as undefined takes its default
    const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
    this.options = {
      deviceId: 1,
      heartbeatIntervalMs: 10_000,
      heartbeatTimeoutMs: 10_000,
      reconnect: Backoff.DEFAULT,
      autoReconnect: true,
      requestTimeoutMs: 30_000,
      connectTimeoutMs: 10_000,
      onListenerError: (error: unknown) => console.error("im client listener failed:", error),
      random: Math.random,
      ...(given as ImClientOptions),
    };
    const { deviceId, heartbeatIntervalMs, heartbeatTimeoutMs, requestTimeoutMs, connectTimeoutMs } = this.options;
    if (!(deviceId > 0)) throw new RangeError(`deviceId: ${deviceId} (expected: > 0)`);
    for (const [name, value] of Object.entries({ heartbeatIntervalMs, heartbeatTimeoutMs, connectTimeoutMs })) {
      if (!(value > 0)) throw new RangeError(`${name}: ${value} (expected: > 0)`);
    }
    if (!(requestTimeoutMs >= 0)) throw new RangeError(`requestTimeoutMs: ${requestTimeoutMs} (expected: >= 0)`);
    this.listeners = new Listeners<ClientEvents>(this.options.onListenerError);
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** How many times this client signed in again after losing its connection. */
  get reconnects(): number {
    return this.reconnectCount;
  }

  /** Adds a listener; returns the function that removes it. Listeners must return quickly. */
  on<E extends keyof ClientEvents>(event: E, listener: (payload: ClientEvents[E]) => void): () => void {
    return this.listeners.add(event, listener);
  }

  /**
   * Connects and signs in; resolves once `sign` is answered 200. Rejects with ImError: the server's code when sign
   * is refused (401 bad token, 419 expired, ...), TRANSPORT when the socket fails, TIMEOUT. A failed first connect
   * is not retried (call again); once signed in, lost connections are re-established automatically, and connect()
   * waits for the reconnect in progress. Already connected: resolves at once.
   */
  connect(): Promise<void> {
    switch (this.currentState) {
      case "connected":
        return Promise.resolve();
      case "closed":
        return Promise.reject(this.closedError("sign"));
      case "connecting":
      case "reconnecting":
        return this.connectingPromise();
      case "disconnected": {
        const promise = this.connectingPromise();
        void this.openSocket();
        return promise;
      }
    }
  }

  /**
   * Sends `Input{type, data}` and resolves with the reply Output whatever its code. Rejects only when no reply can
   * come: NOT_CONNECTED (nothing sent), CONNECTION_LOST, TIMEOUT, CLOSED.
   */
  request(type: string, data?: Uint8Array): Promise<Output> {
    const socket = this.socket;
    if (!this.signed || !socket) {
      return Promise.reject(new ImError(type, ImError.NOT_CONNECTED, `not signed in (state ${this.currentState})`));
    }
    const { reply, fail } = this.replies.register(type);
    this.write(socket, data ? { type, data } : { type });
    const timeoutMs = this.options.requestTimeoutMs;
    if (timeoutMs > 0) {
      const timer = setTimeout(() => fail(new ImError(type, ImError.TIMEOUT, `no reply within ${timeoutMs} ms`)), timeoutMs);
      const clear = () => clearTimeout(timer);
      reply.then(clear, clear);
    }
    return reply;
  }

  /** Closes for good (no reconnect): WebSocket close 1000; open requests fail with CLOSED. Resolves when closed. */
  close(): Promise<void> {
    if (this.currentState === "closed") {
      if (!this.socket) this.closed.resolve();
      return this.closed.promise;
    }
    this.setState("closed");
    this.clearTimers();
    const socket = this.socket;
    if (socket) {
      socket.close(1000, "");
      // a peer that does not answer the closing handshake must not keep close() waiting
      const force = setTimeout(() => this.dropSocket(socket, this.closedError("connection")), 2_000);
      this.closed.promise.then(() => clearTimeout(force));
    } else {
      this.failConnecting(this.closedError("sign"));
      this.closed.resolve();
    }
    return this.closed.promise;
  }

  // ------------------------------------------------------------------ connection lifecycle

  private connectingPromise(): Promise<void> {
    this.connecting ??= deferred<void>();
    return this.connecting.promise;
  }

  private failConnecting(cause: ImError): void {
    const connecting = this.connecting;
    this.connecting = undefined;
    connecting?.reject(cause);
  }

  private closedError(type: string): ImError {
    return new ImError(type, ImError.CLOSED, "the client is closed");
  }

  private isClosed(): boolean {
    return this.currentState === "closed";
  }

  private setState(next: ConnectionState, cause?: ImError): void {
    if (this.currentState === next) return;
    this.currentState = next;
    this.listeners.emit("state", cause ? { state: next, cause } : { state: next });
  }

  private clearTimers(): void {
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.heartbeatTimer);
    clearTimeout(this.connectTimer);
    this.reconnectTimer = this.heartbeatTimer = this.connectTimer = undefined;
  }

  private async openSocket(): Promise<void> {
    this.reconnectTimer = undefined;
    if (this.currentState === "closed") return;
    this.setState(this.everSigned ? "reconnecting" : "connecting");
    let ctor: WebSocketConstructor;
    try {
      ctor = this.options.webSocket ?? (await defaultWebSocket());
    } catch (error) {
      this.socketFailed(new ImError("connect", ImError.TRANSPORT, `no WebSocket implementation: ${String(error)}`));
      return;
    }
    if (this.isClosed()) return; // close() was called while the implementation loaded
    const url = this.options.url;
    let socket: FrameSocket | undefined;
    let opened = false;
    try {
      socket = new FrameSocket(ctor, url, {
        open: () => {
          opened = true;
          this.handshakeDone(socket!);
        },
        frame: (bytes) => this.received(socket!, bytes),
        closed: (code, reason, error) => {
          const detail = error ? `: ${error}` : reason ? ` (${reason})` : "";
          this.pendingCauseIfNone(socket!, opened
            ? new ImError("connection", ImError.CONNECTION_LOST, `the connection closed with status ${code}${detail}`)
            : new ImError("connect", ImError.TRANSPORT, `cannot connect to ${url} (status ${code}${detail})`));
          this.socketClosed(socket!);
        },
      });
    } catch (error) {
      this.socketFailed(new ImError("connect", ImError.TRANSPORT, `cannot connect to ${url}: ${String(error)}`));
      return;
    }
    this.socket = socket;
    const connectingSocket = socket;
    this.connectTimer = setTimeout(() => {
      this.dropSocket(connectingSocket, new ImError("connect", ImError.TIMEOUT,
        `no WebSocket handshake within ${this.options.connectTimeoutMs} ms`));
    }, this.options.connectTimeoutMs);
  }

  /** A socket could not even be created: handled like a socket that closed at once. */
  private socketFailed(cause: ImError): void {
    this.socket = undefined;
    this.pendingCause = cause;
    this.afterClose();
  }

  private pendingCauseIfNone(socket: FrameSocket, cause: ImError): void {
    if (socket === this.socket && !this.pendingCause) this.pendingCause = cause;
  }

  /** Drops a socket the client gave up on (timeout, refused sign) and handles the close at once. */
  private dropSocket(socket: FrameSocket, cause: ImError): void {
    if (socket !== this.socket) return;
    this.pendingCauseIfNone(socket, cause);
    socket.drop();
    this.socketClosed(socket);
  }

  private handshakeDone(socket: FrameSocket): void {
    if (socket !== this.socket) return;
    clearTimeout(this.connectTimer);
    const { appId, userId, deviceId, token } = this.options;
    const { reply } = this.replies.register("sign");
    this.write(socket, { type: "sign", auth: [{ appId, userId, deviceId, token }] });
    this.connectTimer = setTimeout(() => {
      this.dropSocket(socket, new ImError("sign", ImError.TIMEOUT,
        `no sign reply within ${this.options.connectTimeoutMs} ms`));
    }, this.options.connectTimeoutMs);
    reply.then((out) => this.signReplied(socket, out), () => {
      // the connection closed first; socketClosed reports it
    });
  }

  private signReplied(socket: FrameSocket, out: Output): void {
    if (socket !== this.socket) return;
    clearTimeout(this.connectTimer);
    if (out.code !== 200) {
      // the server closes with 1008 after a refused sign; no need to wait for it
      this.dropSocket(socket, new ImError("sign", out.code, out.message));
      return;
    }
    this.signed = true;
    if (this.everSigned) this.reconnectCount++;
    this.everSigned = true;
    this.attempt = 0;
    this.scheduleHeartbeat(socket, this.options.heartbeatIntervalMs * (0.5 + 0.5 * this.options.random()));
    this.setState("connected");
    const connecting = this.connecting;
    this.connecting = undefined;
    connecting?.resolve();
  }

  // the first beat comes at a random 50-100 % of the interval so that many clients do not beat in step
  private scheduleHeartbeat(socket: FrameSocket, delayMs: number): void {
    this.heartbeatTimer = setTimeout(() => {
      if (socket !== this.socket || !this.signed) return;
      this.sendHeartbeat(socket);
      this.scheduleHeartbeat(socket, this.options.heartbeatIntervalMs);
    }, Math.max(1, delayMs));
  }

  private sendHeartbeat(socket: FrameSocket): void {
    const { reply } = this.replies.register("heartbeat");
    this.write(socket, { type: "heartbeat" });
    const timeoutMs = this.options.heartbeatTimeoutMs;
    const timer = setTimeout(() => {
      this.dropSocket(socket, new ImError("heartbeat", ImError.TIMEOUT, `no heartbeat reply within ${timeoutMs} ms`));
    }, timeoutMs);
    const clear = () => clearTimeout(timer);
    reply.then(clear, clear);
  }

  private write(socket: FrameSocket, input: Init<Input>): void {
    socket.send(encode("Input", input));
  }

  private received(socket: FrameSocket, bytes: Uint8Array): void {
    if (socket !== this.socket) return;
    let out: Output;
    try {
      out = decode("Output", bytes);
    } catch {
      return; // not an Output: nothing to match it to
    }
    if (this.replies.complete(out)) return;
    if (out.type === "kick") {
      this.kicked = true;
      const cause = new ImError("kick", out.code, out.message);
      this.pendingCauseIfNone(socket, cause);
      this.listeners.emit("push", out);
      this.listeners.emit("kick", cause);
      return;
    }
    this.listeners.emit("push", out);
    const event = out.type as keyof typeof PUSH_DATA;
    const dataName = Object.hasOwn(PUSH_DATA, event) ? PUSH_DATA[event] : undefined;
    if (dataName && this.listeners.has(event)) {
      let data;
      try {
        data = decode(dataName, out.data);
      } catch {
        return; // undecodable data: only the raw push listeners saw it
      }
      this.listeners.emit(event, data as ClientEvents[typeof event]);
    }
  }

  private socketClosed(socket: FrameSocket): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.afterClose();
  }

  private afterClose(): void {
    this.signed = false;
    clearTimeout(this.heartbeatTimer);
    clearTimeout(this.connectTimer);
    const cause = this.pendingCause ?? new ImError("connection", ImError.CONNECTION_LOST, "the connection closed");
    this.pendingCause = undefined;
    const code = this.currentState === "closed" ? ImError.CLOSED : ImError.CONNECTION_LOST;
    this.replies.failAll((type) => new ImError(type, code, "the connection closed before the reply", { cause }));

    if (this.currentState === "closed") {
      this.failConnecting(this.closedError("sign"));
      this.closed.resolve();
      return;
    }
    const finalRefusal = cause.type === "sign" && FINAL_SIGN_CODES.has(cause.code);
    if (this.kicked || (this.everSigned && (!this.options.autoReconnect || finalRefusal))) {
      this.setState("closed", cause);
      this.clearTimers();
      this.failConnecting(cause);
      this.closed.resolve();
      return;
    }
    if (!this.everSigned) {
      // a first connect() that failed: report it, do not retry
      this.setState("disconnected", cause);
      this.failConnecting(cause);
      return;
    }
    this.setState("reconnecting", cause);
    const delay = this.options.reconnect.delayMs(this.attempt++, this.options.random);
    this.reconnectTimer = setTimeout(() => void this.openSocket(), delay);
  }
}

// The WebSocket underneath a client: the browser's (or any global) WebSocket when there is one, else the `ws`
// package (Node 20 has no global WebSocket). Both speak the same API, of which this uses a small part.

/** The part of the standard WebSocket API the client uses; the browser's WebSocket and `ws` both have it. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  /** `ws` only: drops the socket at once, without a closing handshake. */
  terminate?: () => void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

let nodeWebSocket: Promise<WebSocketConstructor> | undefined;

/** The global WebSocket if present, else `ws` (loaded once, on first use). */
export function defaultWebSocket(): Promise<WebSocketConstructor> {
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global) return Promise.resolve(global);
  // the module name is a variable so that browser bundlers do not try to bundle `ws`
  const moduleName = "ws";
  nodeWebSocket ??= import(moduleName).then((m: { WebSocket?: WebSocketConstructor; default?: WebSocketConstructor }) => {
    const ctor = m.WebSocket ?? m.default;
    if (!ctor) throw new Error("the `ws` package exports no WebSocket");
    return ctor;
  });
  return nodeWebSocket;
}

/** What a FrameSocket reports, each at most once except `frame`. */
export interface FrameHandlers {
  open(): void;
  frame(bytes: Uint8Array): void;
  /** The socket closed (by either side), or failed with `error`. */
  closed(code: number, reason: string, error: string | undefined): void;
}

/**
 * One WebSocket connection carrying binary frames. Text frames are ignored (the server sends only binary ones).
 * After `drop()` no handler is called any more.
 */
export class FrameSocket {
  private readonly socket: WebSocketLike;
  private active = true;

  constructor(ctor: WebSocketConstructor, url: string, handlers: FrameHandlers) {
    this.socket = new ctor(url);
    this.socket.binaryType = "arraybuffer";
    this.socket.onopen = () => {
      if (this.active) handlers.open();
    };
    this.socket.onmessage = (event) => {
      if (!this.active) return;
      const data = event.data;
      if (data instanceof ArrayBuffer) handlers.frame(new Uint8Array(data));
      else if (ArrayBuffer.isView(data)) handlers.frame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    };
    // An error always ends the connection (WHATWG: "fail the WebSocket connection"), so it is reported as the
    // close at once: Node 20's built-in WebSocket never fires close after a refused connect.
    this.socket.onerror = (event) => {
      if (!this.active) return;
      const message = (event as { message?: unknown } | null)?.message;
      this.drop();
      handlers.closed(1006, "", typeof message === "string" && message ? message : "WebSocket error");
    };
    this.socket.onclose = (event) => {
      if (!this.active) return;
      this.active = false;
      handlers.closed(event.code, event.reason, undefined);
    };
  }

  send(bytes: Uint8Array): void {
    if (this.active && this.socket.readyState === 1 /* OPEN */) this.socket.send(bytes);
  }

  /** Starts a normal closing handshake; `closed` is reported when it ends. */
  close(code = 1000, reason = ""): void {
    try {
      this.socket.close(code, reason);
    } catch {
      // already closing
    }
  }

  /**
   * Detaches the handlers and drops the socket without waiting for the peer (a dead connection may never answer a
   * closing handshake). The owner treats the connection as closed at once.
   */
  drop(): void {
    this.active = false;
    try {
      if (this.socket.terminate) this.socket.terminate();
      else this.socket.close(1000, "");
    } catch {
      // a socket still connecting may refuse close() in some implementations; it is detached anyway
    }
  }
}

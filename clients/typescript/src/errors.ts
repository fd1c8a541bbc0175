/**
 * A request or sign-in that did not succeed: the server's error reply (`code` is the server's `Output.code`, e.g.
 * 401 bad token, 404 not found, 503 busy; see docs/PROTOCOL.md) or a client-side failure with a negative code.
 */
export class ImError extends Error {
  /** The client is not signed in (not connected yet, reconnecting, or closed); nothing was sent. */
  static readonly NOT_CONNECTED = -1;
  /** The connection closed before the reply came; the request may or may not have taken effect. */
  static readonly CONNECTION_LOST = -2;
  /** No reply within the timeout; the request may or may not have taken effect. */
  static readonly TIMEOUT = -3;
  /** The client was closed by its owner. */
  static readonly CLOSED = -4;
  /** The transport failed (connect refused, handshake failed, socket error) or a frame could not be decoded. */
  static readonly TRANSPORT = -5;

  override readonly name = "ImError";

  constructor(
    /** The request type this failure belongs to, e.g. `sign` or `sendmessage`. */
    readonly type: string,
    /** The server's error code (positive) or a client-side code (negative). */
    readonly code: number,
    /** The server's `Output.message`, or the client's description of what went wrong. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${type}: ${code} ${reason}`, options);
  }

  /** True when the server refused the request itself (it answered with an error code). */
  get isServerError(): boolean {
    return this.code > 0;
  }
}

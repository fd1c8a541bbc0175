/**
 * Exponential reconnect backoff with jitter: attempt `n` (0-based) waits a random time in
 * `[base * (1 - jitter), base]` where `base = min(maxMs, initialMs * 2^n)`.
 *
 * The jitter spreads the reconnects of many clients that lost their server at the same moment. The defaults
 * (200 ms, 10 s, 0.5) give 100-200 ms, then 200-400 ms, 400-800 ms, ... up to 5-10 s.
 */
export class Backoff {
  static readonly DEFAULT = new Backoff(200, 10_000, 0.5);

  constructor(
    readonly initialMs: number,
    readonly maxMs: number,
    readonly jitter: number,
  ) {
    if (!(initialMs > 0)) throw new RangeError(`initialMs: ${initialMs} (expected: > 0)`);
    if (!(maxMs >= initialMs)) throw new RangeError(`maxMs: ${maxMs} (expected: >= initialMs ${initialMs})`);
    if (!(jitter >= 0 && jitter <= 1)) throw new RangeError(`jitter: ${jitter} (expected: 0-1)`);
  }

  /** The base delay of attempt `attempt` (0-based), before jitter, in milliseconds. */
  baseMs(attempt: number): number {
    const shift = Math.max(0, Math.min(attempt, 40));
    return Math.min(this.maxMs, this.initialMs * 2 ** shift);
  }

  /** The delay before attempt `attempt` (0-based); `random` is uniform in [0, 1). */
  delayMs(attempt: number, random: () => number = Math.random): number {
    return Math.max(1, Math.round(this.baseMs(attempt) * (1 - this.jitter * random())));
  }
}

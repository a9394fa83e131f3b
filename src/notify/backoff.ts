/** When the next attempt of a failed delivery runs: exponential backoff with jitter. Pure. */

/** Backoff settings. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms. */
  baseMs: number;
  /** Longest computed delay, in ms. */
  maxMs: number;
}

/**
 * A receiver's Retry-After is honoured up to an hour: beyond that the platform is effectively down
 * and the delivery should rather die and fall back than sit in the queue for days.
 */
export const RETRY_AFTER_CAP_MS = 3_600_000;

/**
 * Delay after failed attempt number `attempt` (1-based): `base · 2^(attempt-1)` capped at `max`,
 * with "equal jitter" (half fixed, half random) so retries of many deliveries spread out yet never
 * collapse to zero; at least the receiver's `Retry-After` when it sent one.
 */
export function retryDelay(
  attempt: number,
  options: BackoffOptions,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  // 2^30 is far past any cap; a bigger exponent would only risk Infinity.
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  const jittered = Math.round(exp / 2 + random() * (exp / 2));
  return retryAfterMs === undefined
    ? jittered
    : Math.max(jittered, Math.min(retryAfterMs, RETRY_AFTER_CAP_MS));
}

/**
 * How one attempt's outcome maps to `{ ok, retry }`. The job queue retries; the channel only says
 * whether a retry can help (Alertmanager's `(retry bool, err error)`).
 */

/** The outcome class of an HTTP status. */
export interface StatusVerdict {
  ok: boolean;
  retry: boolean;
}

/**
 * 2xx ok; 408 (request timeout), 429 (rate limited) and 5xx retry; any other status (4xx, 3xx, 1xx)
 * is permanent: the same request would be refused again.
 */
export function classifyStatus(status: number): StatusVerdict {
  if (status >= 200 && status < 300) return { ok: true, retry: false };
  if (status === 408 || status === 429 || status >= 500) return { ok: false, retry: true };
  return { ok: false, retry: false };
}

/**
 * Parses `Retry-After`: delay-seconds (`7`, `1.5`) or an HTTP-date. Returns milliseconds from `now`
 * (never negative), or undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // An HTTP-date always names a day or month; without letters Date.parse accepts junk such as `-5`.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The first `code` found on an error or along its `cause` chain. */
export function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') return String(code);
  }
  return undefined;
}

/** True when the error is the timeout of `AbortSignal.timeout` (a DOMException `TimeoutError`). */
export function isTimeout(e: unknown): boolean {
  return (e as { name?: string } | null)?.name === 'TimeoutError';
}

/** `message (cause message)` of an error chain, for the delivery log (redact it before use). */
export function describeError(e: unknown): string {
  const parts: string[] = [];
  for (let cur: unknown = e, depth = 0; cur && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    const msg = cur instanceof Error ? cur.message : String(cur);
    if (msg && !parts.includes(msg)) parts.push(msg);
  }
  return parts.join(': ') || 'unknown error';
}

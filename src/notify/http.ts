/**
 * One HTTP attempt for the HTTP channels: Node's global `fetch`, a timeout, the status classified,
 * every secret redacted. Never throws for a receiver problem and never retries.
 */

import { redact, redactUrl } from '../redact.js';
import { classifyStatus, describeError, errorCode, isTimeout, parseRetryAfter } from './classify.js';
import type { SendResult } from './types.js';

/** What a platform that answers HTTP 200 with an error code in the body (Feishu, DingTalk, WeCom) said. */
export interface BodyVerdict {
  ok: boolean;
  retry: boolean;
  /** The platform's own error code and text, for the delivery log. */
  error?: string;
}

/** One request. */
export interface HttpAttempt {
  url: string;
  /** Default `POST`. */
  method?: string;
  headers?: Record<string, string>;
  body: string;
  /** Gives up after this many milliseconds (the channel's `timeout`). */
  timeoutMs: number;
  /** Aborts the attempt when the worker shuts down. */
  signal?: AbortSignal;
  /** Literal secrets to redact from any error text, on top of the URL-based rules. */
  secrets?: readonly (string | undefined)[];
  /** Reads a 2xx body; returns a failure when the platform reports one in JSON. */
  checkBody?: (json: unknown) => BodyVerdict;
}

/** Longest piece of a receiver's answer kept in an error: enough to read, too short to flood the log. */
const MAX_BODY_IN_ERROR = 300;

/** Sends one request and reports the outcome as a SendResult. */
export async function httpAttempt(req: HttpAttempt): Promise<SendResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const secrets = req.secrets ?? [];
  const where = redactUrl(req.url);
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  try {
    const res = await fetch(req.url, {
      method: req.method ?? 'POST',
      headers: lowerCaseKeys({ 'content-type': 'application/json', ...req.headers }),
      body: req.body,
      signal,
      // A followed 301/302 turns POST into GET and may leave the host: report it instead.
      redirect: 'manual',
    });
    const text = await res.text();
    const verdict = classifyStatus(res.status);
    if (!verdict.ok) {
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      return {
        ok: false,
        retry: verdict.retry,
        statusCode: res.status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        error: redact(`HTTP ${res.status} from ${where}${snippet(text)}`, secrets),
        latencyMs: latency(),
      };
    }
    if (req.checkBody) {
      const body = parseJson(text);
      const check = req.checkBody(body);
      if (!check.ok) {
        return {
          ok: false,
          retry: check.retry,
          statusCode: res.status,
          error: redact(`${check.error ?? 'receiver reported an error'} (from ${where})`, secrets),
          latencyMs: latency(),
        };
      }
    }
    return { ok: true, retry: false, statusCode: res.status, latencyMs: latency() };
  } catch (e) {
    if (isTimeout(e) || timeout.aborted) {
      return {
        ok: false,
        retry: true,
        error: `timed out after ${req.timeoutMs} ms (${where})`,
        latencyMs: latency(),
      };
    }
    if (req.signal?.aborted) {
      return { ok: false, retry: true, error: `cancelled (${where})`, latencyMs: latency() };
    }
    const message = redact(`request to ${where} failed: ${describeError(e)}`, secrets);
    // Any transport failure may pass later (only an answer from the receiver proves a refusal),
    // except a URL that cannot even be parsed.
    return { ok: false, retry: errorCode(e) !== 'ERR_INVALID_URL', error: message, latencyMs: latency() };
  }
}

/** Header names are case-insensitive: lower-casing makes a later key replace an earlier one, not join it. */
function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

function snippet(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (!t) return '';
  return `: ${t.length > MAX_BODY_IN_ERROR ? `${t.slice(0, MAX_BODY_IN_ERROR)}…` : t}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads a numeric code field from a parsed JSON object, or undefined. */
export function numberField(json: unknown, ...keys: string[]): number | undefined {
  if (!json || typeof json !== 'object') return undefined;
  for (const k of keys) {
    const v = (json as Record<string, unknown>)[k];
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  }
  return undefined;
}

/** Reads a string field from a parsed JSON object, or ''. */
export function stringField(json: unknown, ...keys: string[]): string {
  if (!json || typeof json !== 'object') return '';
  for (const k of keys) {
    const v = (json as Record<string, unknown>)[k];
    if (typeof v === 'string') return v;
  }
  return '';
}

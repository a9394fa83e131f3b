/** Configuration pieces and helpers every channel shares. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { positiveDurationSchema } from '../../config/duration.js';
import { SEVERITIES } from '../../types.js';
import type { Locale } from '../templates/strings.js';
import type { Notification, SendResult } from '../types.js';

/** Timeout of one delivery attempt when a channel does not set one: 10 s, Alertmanager's default. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** `timeout`: per attempt, default 10s. */
export const timeoutSchema = positiveDurationSchema.default(DEFAULT_TIMEOUT_MS);

/** `locale`: forces the message language; default the notification's own (`en` unless routed otherwise). */
export const localeSchema = z.enum(['en', 'zh'], { error: () => 'expected en or zh' }).optional();

/** An http(s) URL. The message never quotes the value: it may hold a token. */
export const httpUrlSchema = z.string().refine(
  (v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'expected an http:// or https:// URL' },
);

/** `headers`: extra request headers (may hold credentials: they are redacted from errors). */
export const headersSchema = z.record(z.string(), z.string()).default({});

/** The language a channel renders in: its own `locale` when set, else the notification's. */
export function localeOf(n: Notification, configured?: Locale): Locale {
  return configured ?? (n.locale === 'zh' ? 'zh' : 'en');
}

/**
 * Fills `{severity}`, `{view}`, `{transition}`, `{type}` in a subject or routing key with the
 * notification's values (the most severe alert's type and view); characters that would break an
 * AMQP topic or NATS subject (`.`, `*`, `>`, `#`, spaces) become `_` inside values.
 */
export function fillTemplate(pattern: string, n: Notification): string {
  const rank = (a: Notification['alerts'][number]) => SEVERITIES.indexOf(a.severity);
  const top = [...n.alerts].sort((a, b) => rank(b) - rank(a))[0];
  const values: Record<string, string> = {
    severity: top?.severity ?? 'info',
    view: top?.view ?? 'none',
    type: top?.type ?? 'none',
    transition: n.transition,
  };
  return pattern.replace(/\{(severity|view|type|transition)\}/g, (_m, key: string) =>
    (values[key] ?? '').replace(/[.*>#\s]/g, '_'),
  );
}

/** Settles like `work`, or rejects with the abort reason when `signal` aborts first. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * One attempt of a channel that is not plain HTTP (AMQP, NATS): runs `send` under the channel's
 * timeout (and the worker's shutdown signal), times it, and turns a failure into a SendResult.
 * A timeout is always worth a retry; other failures are classified by `failure`.
 */
export async function timedAttempt(
  what: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  send: (stop: AbortSignal) => Promise<void>,
  failure: (e: unknown) => { retry: boolean; error: string },
): Promise<SendResult> {
  const started = performance.now();
  const latencyMs = () => Math.round(performance.now() - started);
  const timeout = AbortSignal.timeout(timeoutMs);
  const stop = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    await send(stop);
    return { ok: true, retry: false, latencyMs: latencyMs() };
  } catch (e) {
    if (timeout.aborted) {
      return {
        ok: false,
        retry: true,
        error: `${what} timed out after ${timeoutMs} ms`,
        latencyMs: latencyMs(),
      };
    }
    return { ok: false, ...failure(e), latencyMs: latencyMs() };
  }
}

/**
 * The rate-limit key of a chat bot: its type and a hash of its URL. The platforms count per bot,
 * not per mvwatch channel name, and the URL holds the bot's token, so only its hash is stored.
 */
export function botRateKey(type: string, url: string): string {
  return `${type}:${createHash('sha256').update(url).digest('hex').slice(0, 32)}`;
}

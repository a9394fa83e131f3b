/**
 * One delivery attempt (a job): rate limit → send → record. The channel says whether a retry can
 * help; this decides when (backoff, Retry-After), and what happens after the last attempt
 * (dead → fallback channel → `notification_failed`). It never loops: the next attempt is a new job.
 */
import type { Db } from '../db/db.js';
import { addJobs, type JobSpec, TASKS } from '../jobs/queue.js';
import { type Logger, silentLogger } from '../log.js';
import { redact } from '../redact.js';
import { retryDelay } from './backoff.js';
import type { ChannelRegistry } from './channel-registry.js';
import { describeError } from './classify.js';
import type { DeliveryOptions } from './delivery-options.js';
import {
  type AttemptRecord,
  type AttemptStatus,
  deliverJobKey,
  getDelivery,
  insertDeliveries,
  postpone,
  recordAttempt,
} from './queries/deliveries.js';
import { acquire, limitsFor } from './rate-limit.js';
import type { Notification, SendResult } from './types.js';

/** What an attempt needs. */
export interface DeliverContext {
  db: Db;
  delivery: DeliveryOptions;
  channels: ChannelRegistry;
  log?: Logger;
  /** Jitter source (default Math.random). */
  random?: () => number;
}

/** What one run of the job did. */
export type DeliverOutcome = AttemptStatus | 'postponed' | 'skipped';

/** Statuses after which nothing more is attempted. */
const FINISHED = new Set(['delivered', 'failed', 'dead']);

/** A rate-limited delivery is re-queued a little after its slot frees: up to this much, so waiting workers do not stampede. */
const RATE_JITTER_MS = 100;

/** True when the notification only reports failed notifications: its own failure raises no further alert. */
export function onlyAboutNotifications(n: Pick<Notification, 'alerts'>): boolean {
  return n.alerts.length > 0 && n.alerts.every((a) => a.type === 'notification_failed');
}

/** Runs one attempt of delivery `deliveryId`. Never throws for a receiver's failure. */
export async function deliverOnce(
  ctx: DeliverContext,
  deliveryId: number,
  signal?: AbortSignal,
): Promise<DeliverOutcome> {
  const { db } = ctx;
  const log = ctx.log ?? silentLogger;
  const q = { client: db.pool, s: db.s };
  const d = await getDelivery(q, deliveryId);
  if (!d || FINISHED.has(d.status)) return 'skipped';

  const channel = ctx.channels.get(d.channel);
  if (channel) {
    const limits = limitsFor(channel.type, ctx.delivery.rateLimits[d.channel]);
    const slot = await acquire(db, channel.rateKey ?? d.channel, limits);
    if (!slot.ok) {
      const at = new Date(
        slot.retryAt.getTime() + Math.round((ctx.random ?? Math.random)() * RATE_JITTER_MS),
      );
      await db.transaction(async (client) => {
        await postpone({ client, s: db.s }, deliveryId, at);
        await addJobs(client, ctx.delivery.ws, [deliverJob(deliveryId, at)]);
      });
      return 'postponed';
    }
  }

  const result = channel
    ? await sendSafely(() => channel.send(d.notification, signal))
    : {
        ok: false,
        retry: false,
        error: `channel "${d.channel}" is not configured in this worker`,
        latencyMs: 0,
      };
  const attempt = d.attempts + 1;
  const status: AttemptStatus = result.ok
    ? 'delivered'
    : !result.retry
      ? 'failed'
      : attempt >= d.maxAttempts
        ? 'dead'
        : 'retrying';
  const next =
    status === 'retrying'
      ? new Date(
          Date.now() +
            retryDelay(
              attempt,
              { baseMs: ctx.delivery.backoffMs, maxMs: ctx.delivery.maxBackoffMs },
              result.retryAfterMs,
              ctx.random,
            ),
        )
      : undefined;

  const record: AttemptRecord = {
    deliveryId,
    attempt,
    channel: d.channel,
    notificationId: d.notificationId,
    status,
    ...(result.statusCode === undefined ? {} : { statusCode: result.statusCode }),
    latencyMs: result.latencyMs,
    ...(result.error === undefined ? {} : { error: result.error }),
    ...(next ? { nextAttemptAt: next } : {}),
  };
  const terminal = status === 'failed' || status === 'dead';
  const fallback =
    terminal && d.fallback && d.fallbackOf === null && d.fallback !== d.channel ? d.fallback : null;
  const jobs: JobSpec[] = [];
  if (next) jobs.push(deliverJob(deliveryId, next));
  if (terminal && !onlyAboutNotifications(d.notification))
    jobs.push({ task: TASKS.failed, payload: { deliveryId }, jobKey: `mvwatch:failed:${deliveryId}` });

  // recordAttempt refuses when another run recorded this attempt first (a recovered job whose worker
  // was alive after all): ours was a duplicate with the same idempotency key; one log row per attempt.
  const recorded =
    !jobs.length && !fallback
      ? // The common case (delivered) is one statement: no transaction round trips.
        await recordAttempt({ client: db.pool, s: db.s }, record)
      : await db.transaction(async (client) => {
          const tx = { client, s: db.s };
          if (!(await recordAttempt(tx, record))) return false;
          if (fallback)
            await insertDeliveries(
              tx,
              [
                {
                  notification: d.notification,
                  channel: fallback,
                  route: d.route,
                  maxAttempts: ctx.delivery.maxAttempts,
                  fallback: null,
                  fallbackOf: d.id,
                },
              ],
              { ws: ctx.delivery.ws },
            );
          await addJobs(client, ctx.delivery.ws, jobs);
          return true;
        });
  if (!recorded) return 'skipped';
  if (status !== 'delivered')
    log.warn(`notification to ${d.channel} ${status}`, {
      delivery: deliveryId,
      attempt,
      error: result.error,
    });
  return status;
}

function deliverJob(deliveryId: number, runAt?: Date): JobSpec {
  return {
    task: TASKS.deliver,
    payload: { deliveryId },
    jobKey: deliverJobKey(deliveryId),
    ...(runAt ? { runAt } : {}),
  };
}

/** A channel that throws despite its contract is treated as a transport failure a retry may pass. */
async function sendSafely(send: () => Promise<SendResult>): Promise<SendResult> {
  const started = performance.now();
  try {
    return await send();
  } catch (e) {
    return {
      ok: false,
      retry: true,
      error: redact(`channel failed: ${describeError(e)}`),
      latencyMs: Math.round(performance.now() - started),
    };
  }
}

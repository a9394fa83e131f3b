/** SQL of `materialized_views_deliveries` and `materialized_views_delivery_attempts` (the delivery log). */
import { iso } from '../../db/db.js';
import { TASKS } from '../../jobs/queue.js';
import type { Notification, Transition } from '../types.js';
import type { Q } from './groups.js';

/** Where a delivery stands. */
export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed' | 'dead';
/** The outcome of one attempt. */
export type AttemptStatus = 'delivered' | 'retrying' | 'failed' | 'dead';

/** One notification to one channel (`mvwatch deliveries`, JSON shape). */
export interface Delivery {
  id: number;
  notificationId: string;
  channel: string;
  route: string;
  groupKey: string;
  alertIds: number[];
  transition: Transition;
  status: DeliveryStatus;
  attempts: number;
  maxAttempts: number;
  fallback: string | null;
  fallbackOf: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** One row of the delivery log. */
export interface DeliveryAttempt {
  id: number;
  deliveryId: number;
  attempt: number;
  channel: string;
  notificationId: string;
  status: AttemptStatus;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  createdAt: string;
}

const COLUMNS = `id, notification_id, channel, route, group_key, alert_ids, transition, status, attempts, max_attempts,
  fallback, fallback_of, last_status_code, last_error, next_attempt_at, created_at, updated_at, finished_at`;

// biome-ignore lint/suspicious/noExplicitAny: a row straight from pg
function toDelivery(r: any): Delivery {
  return {
    id: r.id,
    notificationId: r.notification_id,
    channel: r.channel,
    route: r.route,
    groupKey: r.group_key,
    alertIds: (r.alert_ids ?? []).map(Number),
    transition: r.transition,
    status: r.status,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    fallback: r.fallback,
    fallbackOf: r.fallback_of,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    nextAttemptAt: iso(r.next_attempt_at),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    finishedAt: iso(r.finished_at),
  };
}

/** A delivery to create. */
export interface NewDelivery {
  notification: Notification;
  channel: string;
  route: string;
  maxAttempts: number;
  fallback: string | null;
  fallbackOf?: number | null;
}

const DELIVER_JOB_KEY_PREFIX = 'mvwatch:deliver:';

/** The job key of a delivery: at most one queued attempt per delivery. */
export function deliverJobKey(deliveryId: number): string {
  return `${DELIVER_JOB_KEY_PREFIX}${deliveryId}`;
}

/**
 * Inserts deliveries and, in the same statement, queues the first attempt of each (graphile-worker's
 * `add_jobs` in quoted schema `queue.ws`, with TASKS.deliver and deliverJobKey's key, bound as
 * values so the two cannot drift). Returns their ids, in no particular order.
 */
export async function insertDeliveries(
  q: Q,
  list: readonly NewDelivery[],
  queue: { ws: string },
): Promise<number[]> {
  if (!list.length) return [];
  const { ws } = queue;
  const { rows } = await q.client.query<{ id: number }>(
    `with ins as (
     insert into ${q.s}.materialized_views_deliveries
       (notification_id, channel, route, group_key, alert_ids, transition, notification, max_attempts, fallback, fallback_of)
     select r.notification->>'id', r.channel, r.route, r.notification->>'groupKey',
            array(select (jsonb_array_elements(r.notification->'alerts')->>'id')::int8),
            r.notification->>'transition', r.notification, r.max_attempts, r.fallback, r.fallback_of
       from json_to_recordset($1::json) as r(notification jsonb, channel text, route text,
            max_attempts int, fallback text, fallback_of int8)
     -- a fallback to a channel the notification already went to adds nothing
     on conflict (notification_id, channel) do nothing
     returning id),
     jobs as (
       select count(*) from ${ws}.add_jobs(array(
         select ($2::text, json_build_object('deliveryId', id), null, null, null,
                 $3::text || id, null, null)::${ws}.job_spec from ins)))
     select id from ins, jobs`,
    [
      JSON.stringify(
        list.map((d) => ({
          notification: d.notification,
          channel: d.channel,
          route: d.route,
          max_attempts: d.maxAttempts,
          fallback: d.fallback,
          fallback_of: d.fallbackOf ?? null,
        })),
      ),
      TASKS.deliver,
      DELIVER_JOB_KEY_PREFIX,
    ],
  );
  return rows.map((r) => r.id);
}

/** A delivery with its stored notification; `lock` takes its row lock (inside a transaction). */
export async function getDelivery(
  q: Q,
  id: number,
  options: { lock?: boolean } = {},
): Promise<(Delivery & { notification: Notification }) | null> {
  const { rows } = await q.client.query(
    `select ${COLUMNS}, notification from ${q.s}.materialized_views_deliveries where id = $1${options.lock ? ' for update' : ''}`,
    [id],
  );
  return rows[0] ? { ...toDelivery(rows[0]), notification: rows[0].notification } : null;
}

/** One attempt's outcome, written with the delivery's new state. */
export interface AttemptRecord {
  deliveryId: number;
  attempt: number;
  channel: string;
  notificationId: string;
  status: AttemptStatus;
  statusCode?: number;
  latencyMs: number;
  error?: string;
  nextAttemptAt?: Date;
}

/**
 * Moves the delivery to the attempt's status and appends the attempt to the log, in one statement,
 * only if the delivery still stands where this attempt started (`attempt - 1` attempts made, not
 * finished). Returns false when another run recorded first.
 */
export async function recordAttempt(q: Q, a: AttemptRecord): Promise<boolean> {
  const { rows } = await q.client.query(
    `with d as (
       update ${q.s}.materialized_views_deliveries
          set status = $5, attempts = $2, last_status_code = $6, last_error = $8, next_attempt_at = $9,
              updated_at = now(), finished_at = case when $5 = 'retrying' then null else now() end
        where id = $1 and attempts = $2 - 1 and status not in ('delivered', 'failed', 'dead')
       returning id),
     log as (
       insert into ${q.s}.materialized_views_delivery_attempts
         (delivery_id, attempt, channel, notification_id, status, status_code, latency_ms, error)
       select id, $2, $3, $4, $5, $6, $7, $8 from d returning 1)
     select count(*)::int as n from log`,
    [
      a.deliveryId,
      a.attempt,
      a.channel,
      a.notificationId,
      a.status,
      a.statusCode ?? null,
      a.latencyMs,
      a.error ?? null,
      a.nextAttemptAt ?? null,
    ],
  );
  return rows[0].n === 1;
}

/** Notes when a rate-limited delivery will try again (not an attempt). */
export async function postpone(q: Q, id: number, at: Date): Promise<void> {
  await q.client.query(
    `update ${q.s}.materialized_views_deliveries set next_attempt_at = $2, updated_at = now() where id = $1`,
    [id, at],
  );
}

/**
 * Re-opens a finished delivery for `extraAttempts` more attempts (`deliveries retry`). Returns the
 * delivery, or null when unknown.
 */
export async function reopen(q: Q, id: number, extraAttempts: number): Promise<Delivery | null> {
  const { rows } = await q.client.query(
    `update ${q.s}.materialized_views_deliveries
        set status = 'pending', max_attempts = attempts + $2, next_attempt_at = now(), finished_at = null,
            updated_at = now()
      where id = $1 returning ${COLUMNS}`,
    [id, extraAttempts],
  );
  return rows[0] ? toDelivery(rows[0]) : null;
}

/** Filters of `mvwatch deliveries`. */
export interface DeliveryFilter {
  /** Only `failed` and `dead` deliveries. */
  failed?: boolean;
  channel?: string;
  /** Default 50. */
  limit?: number;
}

/** Deliveries, newest first. */
export async function listDeliveries(q: Q, f: DeliveryFilter = {}): Promise<Delivery[]> {
  const { rows } = await q.client.query(
    `select ${COLUMNS} from ${q.s}.materialized_views_deliveries
      where ($1::bool is not true or status in ('failed', 'dead')) and ($2::text is null or channel = $2)
      order by created_at desc, id desc limit $3`,
    [f.failed ?? false, f.channel ?? null, f.limit ?? 50],
  );
  return rows.map(toDelivery);
}

/** The attempts of a delivery, oldest first. */
export async function listAttempts(q: Q, deliveryId: number): Promise<DeliveryAttempt[]> {
  const { rows } = await q.client.query(
    `select * from ${q.s}.materialized_views_delivery_attempts where delivery_id = $1 order by attempt, id`,
    [deliveryId],
  );
  return rows.map((r) => ({
    id: r.id,
    deliveryId: r.delivery_id,
    attempt: r.attempt,
    channel: r.channel,
    notificationId: r.notification_id,
    status: r.status,
    statusCode: r.status_code,
    latencyMs: r.latency_ms,
    error: r.error,
    createdAt: iso(r.created_at)!,
  }));
}

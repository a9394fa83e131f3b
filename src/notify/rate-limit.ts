/**
 * Per-channel rate limits shared by every worker process, kept in PostgreSQL as a sliding-window
 * log (one row per message sent). Chat platforms count a rolling minute: fixed windows would let
 * 2 × the limit through around a window boundary and earn "send too fast" errors.
 */
import type { Db } from '../db/db.js';

/** At most `max` messages per `perMs` milliseconds. */
export interface RateLimit {
  max: number;
  perMs: number;
}

/**
 * The platforms' documented limits per bot: Feishu/Lark 5 per second and 100 per minute, DingTalk
 * 20 per minute, WeCom 20 per minute. Other channel types are not limited.
 */
export const PLATFORM_LIMITS: Readonly<Record<string, readonly RateLimit[]>> = Object.freeze({
  feishu: [
    { max: 5, perMs: 1_000 },
    { max: 100, perMs: 60_000 },
  ],
  lark: [
    { max: 5, perMs: 1_000 },
    { max: 100, perMs: 60_000 },
  ],
  dingtalk: [{ max: 20, perMs: 60_000 }],
  wecom: [{ max: 20, perMs: 60_000 }],
});

/**
 * The limits of a channel: its configured override (`delivery.rateLimits.<channel>`) when present,
 * else its platform's. They are counted per bot: channels that share a bot share one log.
 */
export function limitsFor(channelType: string, override?: readonly RateLimit[]): readonly RateLimit[] {
  return override ?? PLATFORM_LIMITS[channelType] ?? [];
}

/** The outcome of asking for a slot. */
export type Acquired = { ok: true } | { ok: false; retryAt: Date };

/**
 * When a slot frees under `limits`, given the send times in the window (newest first) and `now`;
 * null when a message may go now. For each full limit the slot frees once the `max`-th newest send
 * leaves its window; the latest such time wins. Pure.
 */
export function nextSlot(
  sendsNewestFirst: readonly Date[],
  limits: readonly RateLimit[],
  now: Date,
): Date | null {
  let wait: number | null = null;
  for (const l of limits) {
    const inWindow = sendsNewestFirst.filter((t) => t.getTime() > now.getTime() - l.perMs);
    if (inWindow.length < l.max) continue;
    const frees = inWindow[l.max - 1]!.getTime() + l.perMs;
    wait = wait === null ? frees : Math.max(wait, frees);
  }
  return wait === null ? null : new Date(wait);
}

/**
 * Takes a slot for `key` (a chat bot's rate key, else the channel name) under `limits`, atomically across processes: the key's
 * advisory lock serialises the read-decide-record of concurrent workers. No limits: always ok.
 */
export async function acquire(db: Db, key: string, limits: readonly RateLimit[]): Promise<Acquired> {
  if (!limits.length) return { ok: true };
  const longest = Math.max(...limits.map((l) => l.perMs));
  const mostEver = Math.max(...limits.map((l) => l.max));
  const table = `${db.s}.materialized_views_rate_events`;
  return db.transaction(async (client) => {
    // Seed 5005: keeps these keys apart from the other int8 advisory locks of the database.
    await client.query('select pg_advisory_xact_lock(hashtextextended($1, 5005))', [key]);
    // clock_timestamp, not now(): the lock may have been waited for, and the window is read after it.
    // Read once and cut to the millisecond a JS Date holds: the window, the decision and the stored
    // send time must all use the same instant, or a send on the window's edge is seen by one and
    // not the other and 21 messages fit in a window.
    const { rows } = await client.query<{ now: Date; sends: number[] | null }>(
      `with n as materialized (select date_trunc('milliseconds', clock_timestamp()) as now)
       select n.now,
              (select array_agg(extract(epoch from w.at) * 1000 order by w.at desc) from (
                 select at from ${table} where key = $1 and at > n.now - $2 * interval '1 ms'
                  order by at desc limit $3) w)::float8[] as sends
         from n`,
      [key, longest, mostEver],
    );
    const now = rows[0]!.now;
    const sends = (rows[0]!.sends ?? []).map((t) => new Date(t));
    const retryAt = nextSlot(sends, limits, now);
    if (retryAt) return { ok: false, retryAt };
    await client.query(`insert into ${table} (key, at) values ($1, $2)`, [key, now]);
    return { ok: true };
  });
}

/** Deletes send records older than `keepMs` (default one hour, longer than any platform window). */
export async function pruneRateEvents(db: Db, keepMs = 3_600_000): Promise<number> {
  const { rowCount } = await db.query(
    `delete from ${db.s}.materialized_views_rate_events where at < now() - $1 * interval '1 ms'`,
    [keepMs],
  );
  return rowCount ?? 0;
}
